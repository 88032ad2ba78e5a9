-- Where a workspace's weekly report goes (a group, 0 for none) and in
-- which language; the reports made, one per week, kept as made.
CREATE TABLE report_settings (
    workspace_id BIGINT PRIMARY KEY,
    community_id BIGINT NOT NULL DEFAULT 0,
    lang TEXT NOT NULL DEFAULT 'zh'
);
CREATE TABLE weekly_reports (
    workspace_id BIGINT NOT NULL,
    week TEXT NOT NULL,
    made_at BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (workspace_id, week)
);

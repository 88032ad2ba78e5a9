-- Points earned per period (day D2026-03-02, ISO week W2026-10, month
-- M2026-03) and scope (community_id; 0 = the whole workspace), kept with
-- every ledger post so that caps and leaderboards read one index.
ALTER TABLE points_entries ADD COLUMN community_id BIGINT NOT NULL DEFAULT 0;

CREATE TABLE points_periods (
    workspace_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    community_id BIGINT NOT NULL,
    member_id BIGINT NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, period, community_id, member_id)
);
CREATE INDEX points_periods_rank ON points_periods (workspace_id, period, community_id, points DESC, member_id);

CREATE TABLE points_rules (
    workspace_id BIGINT PRIMARY KEY,
    config TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

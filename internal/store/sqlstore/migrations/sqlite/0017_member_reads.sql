-- Reads that do not grow with history (issue 13).
-- A member's days, found by member: the member page and the figures of a
-- page of the members list seek here instead of scanning every day.
CREATE INDEX member_days_member ON member_days (workspace_id, member_id, day);

-- The ids of the member's events of that day in that community, oldest
-- first, space-separated: a member's newest events are read by id instead
-- of scanning the day's events of every group. Rows written before start
-- with '?' (their list is incomplete: those days are read the old way).
ALTER TABLE member_days ADD COLUMN event_ids TEXT NOT NULL DEFAULT '?';

-- Every active member's figures over the last 30 days, refreshed with the
-- tiers (within a minute of new events): the members list sorts by them
-- through an index instead of adding up every member's days.
CREATE TABLE member_activity (
    workspace_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    messages INTEGER NOT NULL,
    active_days INTEGER NOT NULL,
    last_day TEXT NOT NULL,
    PRIMARY KEY (workspace_id, member_id)
) WITHOUT ROWID;
CREATE INDEX member_activity_messages ON member_activity (workspace_id, messages DESC, member_id DESC);
CREATE INDEX member_activity_last_day ON member_activity (workspace_id, last_day DESC, member_id DESC);

-- The window member_activity holds (day_from..day_to, inclusive).
CREATE TABLE activity_windows (
    workspace_id INTEGER PRIMARY KEY,
    day_from TEXT NOT NULL,
    day_to TEXT NOT NULL,
    computed_at INTEGER NOT NULL
);

-- Each group's distinct active members over the same window, refreshed
-- with member_activity: the groups list reads it instead of counting
-- distinct members over every day of the window.
CREATE TABLE community_activity (
    workspace_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    active_members INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, community_id)
) WITHOUT ROWID;

-- The ids of the events that changed the membership (joins, leaves,
-- kicks, bans), space-separated: the member page's timeline shows them.
ALTER TABLE memberships ADD COLUMN event_ids TEXT NOT NULL DEFAULT '';

-- Member counts per group (every groups list and picker) read this index
-- alone instead of every membership row.
CREATE INDEX memberships_status ON memberships (workspace_id, status, community_id);

-- The questions of a window, newest first, for every group at once (the
-- questions page and its figures) without reading older ones.
CREATE INDEX questions_ts ON questions (workspace_id, ts);

-- Each closed day's distinct active members across the workspace, with the
-- newest event id it had then (last_id): computed with the tiers once the
-- day is over, again when later events reach it. The overview's 90-day
-- chart reads these instead of counting distinct members day by day.
CREATE TABLE workspace_days (
    workspace_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    active_members INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, day)
) WITHOUT ROWID;

-- Points earned by chatting, per member, group and day: the pipeline adds
-- them here (with the member's balance and period totals) instead of a
-- ledger entry per message; the ledger's reads add these days in.
ALTER TABLE member_days ADD COLUMN points INTEGER NOT NULL DEFAULT 0;

-- Every group's question figures over the last 30 days (community 0: the
-- workspace), refreshed with the tiers; question_windows says since when.
CREATE TABLE question_figures (
    workspace_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    asked INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    median_ms INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, community_id)
) WITHOUT ROWID;
CREATE TABLE question_windows (
    workspace_id INTEGER PRIMARY KEY,
    since_ms INTEGER NOT NULL,
    computed_at INTEGER NOT NULL
);

-- No read uses it since questions_ts (TestNoReadScansAPerEventTable prints
-- every read's plan): one index write less per question.
DROP INDEX questions_community;

-- Each workspace's stored events and messages, added to by every batch:
-- the overview reads one row instead of every group's every day.
CREATE TABLE workspace_totals (
    workspace_id INTEGER PRIMARY KEY,
    events INTEGER NOT NULL,
    messages INTEGER NOT NULL
);
INSERT INTO workspace_totals (workspace_id, events, messages)
SELECT workspace_id, sum(messages + reactions + joins + leaves), sum(messages) FROM community_days GROUP BY workspace_id;

-- Chat points are kept on the member's days (member_days.points); the
-- week and month totals of the leaderboards take them in once a day is
-- closed, instead of once per batch (four counters per member and batch
-- were a third of the ingest's time). A leaderboard adds the days after
-- `through` from member_days. Days up to `through` are folded in: late
-- chat points of those days are added to the totals directly.
CREATE TABLE points_folds (
    workspace_id BIGINT PRIMARY KEY,
    through TEXT NOT NULL
);
-- Until now every chat point went to the totals at once: every day that
-- has a rollup row is folded in.
INSERT INTO points_folds (workspace_id, through)
SELECT w.id, coalesce((SELECT max(d.day) FROM member_days d WHERE d.workspace_id = w.id), '') FROM workspaces w;

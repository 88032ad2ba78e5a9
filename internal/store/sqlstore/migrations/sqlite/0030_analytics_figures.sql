-- Analytics figures computed once and read many times: one row per read
-- (its kind, filter, period and day, as JSON in request). version is the data
-- it was computed from (the latest event and moderation case); a row is
-- exact while that has not moved. serve refreshes the rows that were
-- read lately; rows nobody reads are dropped.
CREATE TABLE analytics_figures (
    workspace_id INTEGER NOT NULL,
    request TEXT NOT NULL,
    version TEXT NOT NULL,
    computed_at INTEGER NOT NULL,
    read_at INTEGER NOT NULL,
    took_ms INTEGER NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    PRIMARY KEY (workspace_id, request)
);

-- Content highlights: per message, the replies (by others) and reactions it
-- drew, kept by the pipeline as they arrive and recomputed by the analytics
-- rebuild. ts is the message's own time, for windows.
CREATE TABLE message_stats (
    workspace_id INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    replies INTEGER NOT NULL DEFAULT 0,
    reactions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, event_id)
) WITHOUT ROWID;
CREATE INDEX message_stats_ts ON message_stats (workspace_id, ts);

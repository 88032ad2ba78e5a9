-- Content highlights: per message, the replies (by others) and reactions it
-- drew, kept by the pipeline as they arrive and recomputed by the analytics
-- rebuild. ts is the message's own time, for windows.
CREATE TABLE message_stats (
    workspace_id BIGINT NOT NULL,
    event_id BIGINT NOT NULL,
    community_id BIGINT NOT NULL,
    member_id BIGINT NOT NULL,
    ts BIGINT NOT NULL,
    replies BIGINT NOT NULL DEFAULT 0,
    reactions BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, event_id)
);
CREATE INDEX message_stats_ts ON message_stats (workspace_id, ts);

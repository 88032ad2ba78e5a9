-- A group's lifecycle stage as shown, held so that it does not flap: a
-- newly measured stage (pending) replaces it only once it has been measured
-- for the hold (shequn.LifecycleHold). Times in ms.
CREATE TABLE group_lifecycles (
    workspace_id BIGINT NOT NULL,
    community_id BIGINT NOT NULL,
    stage TEXT NOT NULL,
    since BIGINT NOT NULL,
    pending TEXT NOT NULL DEFAULT '',
    pending_since BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, community_id)
);

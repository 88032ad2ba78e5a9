-- Moderation: rules, cases (the review queue and log), blocklist, training
-- samples, and the outbox of actions for the connectors to perform.
CREATE TABLE moderation_rules (
    workspace_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL DEFAULT 0, -- 0: the workspace rule
    config TEXT NOT NULL,                      -- JSON moderation rule
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, community_id)
);

CREATE TABLE moderation_cases (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    event_id INTEGER NOT NULL DEFAULT 0,
    platform TEXT NOT NULL,
    source_id TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,          -- detector | report | blocklist
    detectors TEXT NOT NULL DEFAULT '',
    verdicts TEXT NOT NULL DEFAULT '[]',
    action TEXT NOT NULL,          -- flag, delete, warn, mute, kick, ban, blocklist
    status TEXT NOT NULL,          -- open, approved, overturned
    reporter_id INTEGER,
    created_at INTEGER NOT NULL,
    reviewed_at INTEGER,
    reviewed_by INTEGER
);
CREATE INDEX moderation_cases_status ON moderation_cases (workspace_id, status, id);
CREATE INDEX moderation_cases_member ON moderation_cases (workspace_id, member_id, id);

CREATE TABLE blocklist (
    workspace_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    case_id INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, member_id)
);

CREATE TABLE training_samples (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    label TEXT NOT NULL,           -- spam | ham
    text TEXT NOT NULL,
    case_id INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX training_samples_ws ON training_samples (workspace_id, id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL,
    platform TEXT NOT NULL,
    community_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL DEFAULT 0,
    action TEXT NOT NULL,          -- send, reply, delete, mute, unmute, kick, ban, unban
    payload TEXT NOT NULL DEFAULT '{}',
    case_id INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,          -- pending, sent, failed, cancelled
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, idempotency_key)
);
CREATE INDEX outbox_due ON outbox (status, due_at);
CREATE INDEX outbox_case ON outbox (workspace_id, case_id);

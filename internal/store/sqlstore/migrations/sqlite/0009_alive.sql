-- Keeping groups alive: questions and their answers, hourly community
-- signals, alerts, automations and SOP templates, check-in challenges,
-- welcome settings and broadcasts.
ALTER TABLE communities ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';

CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    source_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    text TEXT NOT NULL,
    cue TEXT NOT NULL,
    to_member_id INTEGER NOT NULL DEFAULT 0,
    answer_event_id INTEGER NOT NULL DEFAULT 0,
    answer_source_id TEXT NOT NULL DEFAULT '',
    answer_member_id INTEGER NOT NULL DEFAULT 0,
    answered_at INTEGER NOT NULL DEFAULT 0,
    how TEXT NOT NULL DEFAULT '',
    UNIQUE (workspace_id, event_id)
);
CREATE INDEX questions_community ON questions (workspace_id, community_id, ts);
CREATE INDEX questions_open ON questions (workspace_id, answered_at, ts);

CREATE TABLE community_hours (
    workspace_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    hour INTEGER NOT NULL,          -- unix ms at the start of the hour
    messages INTEGER NOT NULL DEFAULT 0,
    negative INTEGER NOT NULL DEFAULT 0,
    questions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (community_id, hour)
);
CREATE INDEX community_hours_ws ON community_hours (workspace_id, hour);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    community_id INTEGER NOT NULL DEFAULT 0,
    member_id INTEGER NOT NULL DEFAULT 0,
    dedupe_key TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL,           -- open, acknowledged, resolved
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    notified_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, dedupe_key)
);
CREATE INDEX alerts_status ON alerts (workspace_id, status, id);

CREATE TABLE automations (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,             -- rule, sop
    enabled INTEGER NOT NULL DEFAULT 1,
    config TEXT NOT NULL,           -- JSON
    planned_until INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX automations_ws ON automations (workspace_id, id);

CREATE TABLE automation_runs (
    workspace_id INTEGER NOT NULL,
    run_key TEXT NOT NULL,
    automation_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, run_key)
);

CREATE TABLE challenges (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    config TEXT NOT NULL,           -- JSON
    created_at INTEGER NOT NULL
);

CREATE TABLE checkins (
    workspace_id INTEGER NOT NULL,
    challenge_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    community_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    makeup INTEGER NOT NULL DEFAULT 0,
    proof TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (challenge_id, member_id, day)
);
CREATE INDEX checkins_day ON checkins (challenge_id, day);

CREATE TABLE welcome_settings (
    workspace_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL DEFAULT 0, -- 0: the workspace default
    config TEXT NOT NULL,
    PRIMARY KEY (workspace_id, community_id)
);

CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    selector TEXT NOT NULL,         -- JSON
    communities TEXT NOT NULL,      -- JSON list of ids, resolved at creation
    status TEXT NOT NULL,           -- pending_approval, approved, sent, rejected
    stagger_seconds INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL,
    approved_by INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    decided_at INTEGER NOT NULL DEFAULT 0
);

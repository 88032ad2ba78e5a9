-- shequn initial schema (SQLite). Times are Unix milliseconds.
CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    created_at INTEGER NOT NULL
);

CREATE TABLE operators (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    hash TEXT PRIMARY KEY,
    operator_id INTEGER NOT NULL REFERENCES operators(id),
    expires_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);

CREATE TABLE connectors (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
    platform TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'paused',
    config TEXT NOT NULL DEFAULT '{}',
    secret BLOB,
    created_at INTEGER NOT NULL
);

CREATE TABLE communities (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    platform TEXT NOT NULL,
    external_id TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    structure TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT 'new',
    rules TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL DEFAULT 0,
    benchmark INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, platform, external_id)
);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '', -- platform and id it was first seen as
    created_at INTEGER NOT NULL
);
CREATE INDEX members_ws_name ON members (workspace_id, display_name);

CREATE TABLE identities (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    platform TEXT NOT NULL,
    external_id TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, platform, external_id)
);
CREATE INDEX identities_member ON identities (workspace_id, member_id);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    role TEXT NOT NULL DEFAULT 'member',
    status TEXT NOT NULL,
    joined_at INTEGER,
    left_at INTEGER,
    invited_by INTEGER,
    join_source TEXT NOT NULL DEFAULT 'unknown',
    status_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, community_id, member_id)
);
CREATE INDEX memberships_member ON memberships (workspace_id, member_id);
CREATE INDEX memberships_inviter ON memberships (workspace_id, invited_by) WHERE invited_by IS NOT NULL;

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    platform TEXT NOT NULL,
    source_id TEXT NOT NULL,
    community_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    ts INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    reply_to TEXT NOT NULL DEFAULT '',
    target_id INTEGER,
    inviter_id INTEGER,
    UNIQUE (workspace_id, platform, source_id)
);
-- No per-community index on events: with hundreds of groups it would dirty a
-- page per group on every batch. community_days keeps, per community and
-- day, the range of event ids (first_id..last_id) to scan instead.

CREATE TABLE community_days (
    workspace_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    messages INTEGER NOT NULL DEFAULT 0,
    reactions INTEGER NOT NULL DEFAULT 0,
    active_members INTEGER NOT NULL DEFAULT 0,
    joins INTEGER NOT NULL DEFAULT 0,
    leaves INTEGER NOT NULL DEFAULT 0,
    last_ts INTEGER NOT NULL DEFAULT 0,
    first_id INTEGER NOT NULL DEFAULT 0,
    last_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, day, community_id)
) WITHOUT ROWID;
CREATE INDEX community_days_community ON community_days (workspace_id, community_id, day);

-- Keyed day first so that a day's inserts stay together: a member's
-- history is one seek per day.
CREATE TABLE member_days (
    workspace_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    member_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    messages INTEGER NOT NULL DEFAULT 0,
    reactions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, day, member_id, community_id)
) WITHOUT ROWID;

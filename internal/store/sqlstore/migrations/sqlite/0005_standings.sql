-- Member tiers and lifecycle, recomputed from activity, with every
-- transition kept (for cohorts).
CREATE TABLE member_standings (
    workspace_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    tier TEXT NOT NULL,
    tier_since INTEGER NOT NULL,
    lifecycle TEXT NOT NULL,
    lifecycle_since INTEGER NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    computed_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, member_id)
);
CREATE INDEX member_standings_tier ON member_standings (workspace_id, tier);

CREATE TABLE standing_changes (
    workspace_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    field TEXT NOT NULL,            -- tier | lifecycle
    from_value TEXT NOT NULL,
    to_value TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX standing_changes_member ON standing_changes (workspace_id, member_id, at);

CREATE TABLE tier_criteria (
    workspace_id INTEGER PRIMARY KEY,
    config TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE member_badges (
    workspace_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    badge TEXT NOT NULL,
    awarded_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, member_id, badge)
);

CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    filter TEXT NOT NULL,           -- the members page query string
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

-- Member tiers and lifecycle, recomputed from activity, with every
-- transition kept (for cohorts).
CREATE TABLE member_standings (
    workspace_id BIGINT NOT NULL,
    member_id BIGINT NOT NULL,
    tier TEXT NOT NULL,
    tier_since BIGINT NOT NULL,
    lifecycle TEXT NOT NULL,
    lifecycle_since BIGINT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    computed_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, member_id)
);
CREATE INDEX member_standings_tier ON member_standings (workspace_id, tier);

CREATE TABLE standing_changes (
    workspace_id BIGINT NOT NULL,
    member_id BIGINT NOT NULL,
    field TEXT NOT NULL,            -- tier | lifecycle
    from_value TEXT NOT NULL,
    to_value TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX standing_changes_member ON standing_changes (workspace_id, member_id, at);

CREATE TABLE tier_criteria (
    workspace_id BIGINT PRIMARY KEY,
    config TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Fission campaigns, their stages (with the payouts each has made, for
-- stock), the help ledger (one help per invitee and campaign) and the
-- payouts (one per member and stage).
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    community_ids TEXT NOT NULL DEFAULT '[]',
    new_only INTEGER NOT NULL DEFAULT 0,
    cost INTEGER NOT NULL DEFAULT 0,
    hold_hours INTEGER NOT NULL,
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL,
    secret TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE TABLE campaign_stages (
    workspace_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    threshold INTEGER NOT NULL,
    points INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    stock INTEGER NOT NULL DEFAULT 0,
    paid INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, campaign_id, idx)
);
CREATE TABLE helps (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    inviter_id INTEGER NOT NULL,
    invitee_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    signals TEXT NOT NULL DEFAULT '',
    score INTEGER NOT NULL DEFAULT 0,
    joined_at INTEGER NOT NULL,
    decided_at INTEGER NOT NULL,
    UNIQUE (workspace_id, campaign_id, invitee_id)
);
CREATE INDEX helps_status ON helps (workspace_id, campaign_id, status, joined_at);
CREATE TABLE campaign_payouts (
    workspace_id INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    paid_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, campaign_id, idx, member_id)
);

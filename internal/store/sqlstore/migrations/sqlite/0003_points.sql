-- Incentives: an append-only points ledger with a maintained balance per
-- member (always the sum of the member's entries), rewards and redemptions.
CREATE TABLE points_entries (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    amount INTEGER NOT NULL,        -- signed
    kind TEXT NOT NULL,             -- earn, grant, deduct, spend, refund
    reason TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL,
    operator_id INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, idempotency_key)
);
CREATE INDEX points_entries_member ON points_entries (workspace_id, member_id, id);

CREATE TABLE points_balances (
    workspace_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    balance INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, member_id)
);

CREATE TABLE rewards (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,             -- physical, virtual
    cost INTEGER NOT NULL,
    stock INTEGER,                  -- NULL: unlimited
    per_member_limit INTEGER NOT NULL DEFAULT 0, -- 0: no limit
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE redemptions (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    reward_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    cost INTEGER NOT NULL,
    status TEXT NOT NULL,           -- pending, fulfilled, cancelled
    delivery TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, idempotency_key)
);
CREATE INDEX redemptions_member ON redemptions (workspace_id, member_id, reward_id);

-- Outbox delivery: a claimed row is 'sending' until marked; a claim older
-- than the lease is taken again (after asking the platform whether the
-- action was already done). connector_log is the log connector's record.
ALTER TABLE outbox ADD COLUMN claimed_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';

CREATE TABLE connector_log (
    workspace_id BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL,
    platform TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, idempotency_key)
);

-- failing_since: when the connector's current run of errors began (0: it
-- is not failing); a delivery or a saved resume point clears it.
-- updated_at: when its settings last changed (a running connector is
-- restarted with the new ones).
ALTER TABLE connectors ADD COLUMN failing_since BIGINT NOT NULL DEFAULT 0;
ALTER TABLE connectors ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

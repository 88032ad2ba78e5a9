-- Connectors at work: what they last received and last failed on, and a
-- lease so that one replica runs each connector.
ALTER TABLE connectors ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connectors ADD COLUMN last_event_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connectors ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE connectors ADD COLUMN last_error_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connectors ADD COLUMN state TEXT NOT NULL DEFAULT ''; -- e.g. a sync token

CREATE TABLE connector_leases (
    connector_id INTEGER PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

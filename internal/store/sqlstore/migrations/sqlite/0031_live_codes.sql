-- Live codes (活码): a public link whose QR pool is ordered targets, each
-- an uploaded group QR picture with its cap, held seats and expiry.
CREATE TABLE live_codes (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    fallback TEXT NOT NULL DEFAULT '',
    alert_seats INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, slug)
);
CREATE TABLE live_targets (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    live_code_id INTEGER NOT NULL,
    community_id INTEGER,
    label TEXT NOT NULL DEFAULT '',
    cap INTEGER NOT NULL,
    held INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL,
    scans INTEGER NOT NULL DEFAULT 0,
    qr_text TEXT NOT NULL,
    image_type TEXT NOT NULL,
    image BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX live_targets_code ON live_targets (workspace_id, live_code_id, position);

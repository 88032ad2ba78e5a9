-- Pictures on landing pages (a hero's banner, proof's screenshots), kept
-- once per page and content.
CREATE TABLE page_images (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    page_id INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    image_type TEXT NOT NULL,
    image BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, page_id, sha256)
);

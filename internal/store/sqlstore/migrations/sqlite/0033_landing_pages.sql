-- Landing pages (H5, built from blocks kept as JSON), the leads their
-- forms take (one per phone and page: a repeat is counted, not stored),
-- and the daily counts of views and QR showings per page or live code and
-- source (no visitor data).
CREATE TABLE landing_pages (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    lang TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '',
    published INTEGER NOT NULL DEFAULT 0,
    blocks TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (workspace_id, slug)
);
CREATE TABLE leads (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    page_id INTEGER NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'new',
    repeats INTEGER NOT NULL DEFAULT 0,
    consent_text TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    consent_at INTEGER NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX leads_phone ON leads (workspace_id, page_id, phone) WHERE phone <> '';
CREATE INDEX leads_page ON leads (workspace_id, page_id, id);
CREATE TABLE growth_counts (
    workspace_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    source TEXT NOT NULL,
    views INTEGER NOT NULL DEFAULT 0,
    shown INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, kind, ref_id, day, source)
);

-- Files sent with a message: a JSON list of {kind, mime, size, url}
-- (never the bytes); '' for none.
ALTER TABLE events ADD COLUMN attachments TEXT NOT NULL DEFAULT '';

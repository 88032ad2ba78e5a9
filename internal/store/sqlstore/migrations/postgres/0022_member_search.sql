-- A search finds members by a part of their name, or by a whole platform
-- id (pasted from a chat): the id is looked up here instead of every
-- identity being read for a part of it (300 ms at 431,000 identities).
CREATE INDEX identities_external ON identities (workspace_id, external_id);

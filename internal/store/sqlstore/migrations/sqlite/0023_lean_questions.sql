-- A question keeps the ids of its event and of its first answer; their
-- text and platform ids are read from the events (joined by id), not kept
-- a second time (about a third of a question row).
ALTER TABLE questions DROP COLUMN text;
ALTER TABLE questions DROP COLUMN source_id;
ALTER TABLE questions DROP COLUMN answer_source_id;

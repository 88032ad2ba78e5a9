-- How many times the log connector was asked to perform each key (a
-- platform asked twice would show 2).
ALTER TABLE connector_log ADD COLUMN calls BIGINT NOT NULL DEFAULT 1;

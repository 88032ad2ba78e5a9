-- Shadow cases: what a rule in shadow mode would have done (nothing was
-- done). message_at: when the message was sent (ms), shown in the queue.
ALTER TABLE moderation_cases ADD COLUMN shadow INTEGER NOT NULL DEFAULT 0;
ALTER TABLE moderation_cases ADD COLUMN message_at INTEGER;
CREATE INDEX moderation_cases_reviewed ON moderation_cases (workspace_id, reviewed_at) WHERE reviewed_at IS NOT NULL;

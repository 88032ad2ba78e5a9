-- A member's first message and self-introduction in a group, for the
-- first-message trigger and welcome follow-up.
ALTER TABLE memberships ADD COLUMN first_message_at INTEGER;
ALTER TABLE memberships ADD COLUMN intro_at INTEGER;

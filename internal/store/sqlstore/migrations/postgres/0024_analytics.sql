-- Analytics. A member's day in a community also counts its replies (messages
-- answering another message), characters written, questions asked and
-- answers given; the analytics pages read these rollups, never the events.
ALTER TABLE member_days ADD COLUMN replies INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_days ADD COLUMN chars INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_days ADD COLUMN questions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_days ADD COLUMN answers INTEGER NOT NULL DEFAULT 0;

-- Staff, bots and the workspace's own accounts (1) are left out of every
-- analytics figure; connectors mark bots, operators mark staff.
ALTER TABLE members ADD COLUMN staff INTEGER NOT NULL DEFAULT 0;
CREATE INDEX members_staff ON members (workspace_id, id) WHERE staff <> 0;

-- Join-week cohorts read the memberships that joined in a range.
CREATE INDEX memberships_joined ON memberships (workspace_id, joined_at) WHERE joined_at IS NOT NULL;

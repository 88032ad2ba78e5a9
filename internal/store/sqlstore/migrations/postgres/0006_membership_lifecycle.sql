-- Lifecycle per membership (a member can be retained in one group and
-- dormant in another).
ALTER TABLE memberships ADD COLUMN lifecycle TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN lifecycle_since BIGINT NOT NULL DEFAULT 0;

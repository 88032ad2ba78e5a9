-- The members list filtered by a tier and sorted by messages or last
-- active day walks an index of that tier's figures instead of every figure
-- (the lurkers, half of the people, have almost none: the walk found no
-- row in 100,000). The tier is member_standings' own, written in the same
-- transactions: by the standings job for a member whose tier changes, by
-- the activity refresh for a row it adds.
ALTER TABLE member_activity ADD COLUMN tier TEXT NOT NULL DEFAULT '';
UPDATE member_activity SET tier = coalesce((SELECT s.tier FROM member_standings s
    WHERE s.workspace_id = member_activity.workspace_id AND s.member_id = member_activity.member_id), '');
CREATE INDEX member_activity_tier_messages ON member_activity (workspace_id, tier, messages DESC, member_id DESC);
CREATE INDEX member_activity_tier_last_day ON member_activity (workspace_id, tier, last_day DESC, member_id DESC);

-- name: window-activity
SELECT member_id, sum(messages), count(DISTINCT day) FROM member_days
WHERE workspace_id = ? AND day >= ? AND day <= ? GROUP BY member_id

-- name: lifetime-activity
SELECT member_id, min(day), max(day) FROM member_days WHERE workspace_id = ? AND messages > 0 GROUP BY member_id

-- name: membership-facts
SELECT m.id, min(ms.joined_at), max(CASE WHEN ms.status = 'active' THEN 1 ELSE 0 END)
FROM members m LEFT JOIN memberships ms ON ms.workspace_id = m.workspace_id AND ms.member_id = m.id
WHERE m.workspace_id = ? GROUP BY m.id

-- name: invites-stayed
SELECT invited_by, count(*) FROM memberships WHERE workspace_id = ? AND status = 'active' AND invited_by IS NOT NULL GROUP BY invited_by

-- name: find-standings
SELECT member_id, tier, tier_since, lifecycle, lifecycle_since, reasons FROM member_standings WHERE workspace_id = ?

-- name: find-standing
SELECT member_id, tier, tier_since, lifecycle, lifecycle_since, reasons FROM member_standings WHERE workspace_id = ? AND member_id = ?

-- name: save-standing
INSERT INTO member_standings (workspace_id, member_id, tier, tier_since, lifecycle, lifecycle_since, reasons, computed_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, member_id) DO UPDATE SET tier = excluded.tier, tier_since = excluded.tier_since,
    lifecycle = excluded.lifecycle, lifecycle_since = excluded.lifecycle_since, reasons = excluded.reasons, computed_at = excluded.computed_at

-- name: insert-standing-change
INSERT INTO standing_changes (workspace_id, member_id, field, from_value, to_value, at) VALUES (?, ?, ?, ?, ?, ?)

-- name: tier-counts
SELECT tier, count(*) FROM member_standings WHERE workspace_id = ? GROUP BY tier

-- name: find-tier-criteria
SELECT config FROM tier_criteria WHERE workspace_id = ?

-- name: save-tier-criteria
INSERT INTO tier_criteria (workspace_id, config, updated_at) VALUES (?, ?, ?)
ON CONFLICT (workspace_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at

-- name: award-badge
INSERT INTO member_badges (workspace_id, member_id, badge, awarded_at) VALUES (?, ?, ?, ?)
ON CONFLICT (workspace_id, member_id, badge) DO NOTHING

-- name: find-badges
SELECT badge, awarded_at FROM member_badges WHERE workspace_id = ? AND member_id = ? ORDER BY awarded_at

-- name: create-segment
INSERT INTO segments (workspace_id, name, filter, created_at) VALUES (?, ?, ?, ?) RETURNING id

-- name: find-segments
SELECT id, name, filter FROM segments WHERE workspace_id = ? ORDER BY name

-- name: invites-that-stayed
SELECT ms.id, ms.invited_by, ms.community_id FROM memberships ms
WHERE ms.workspace_id = ? AND ms.invited_by IS NOT NULL AND ms.status = 'active' AND ms.joined_at <= ?

-- name: membership-activity
SELECT ms.id, ms.member_id, ms.community_id, ms.status, ms.joined_at, ms.lifecycle, ms.lifecycle_since
FROM memberships ms WHERE ms.workspace_id = ?

-- name: community-lifetime-activity
SELECT member_id, community_id, min(day), max(day) FROM member_days
WHERE workspace_id = ? AND messages > 0 GROUP BY member_id, community_id

-- name: save-membership-lifecycle
UPDATE memberships SET lifecycle = ?, lifecycle_since = ? WHERE workspace_id = ? AND id = ?

-- name: window-figures
SELECT member_id, sum(messages), count(DISTINCT day), max(day) FROM member_days
WHERE workspace_id = ? AND day >= ? AND day <= ? GROUP BY member_id

-- name: find-member-activity
SELECT member_id, messages, active_days, last_day FROM member_activity WHERE workspace_id = ?

-- name: save-member-activity
-- a new row takes the member's tier; the standings job keeps it after
INSERT INTO member_activity (workspace_id, member_id, messages, active_days, last_day, tier)
VALUES (?, ?, ?, ?, ?, coalesce((SELECT s.tier FROM member_standings s WHERE s.workspace_id = ? AND s.member_id = ?), ''))
ON CONFLICT (workspace_id, member_id) DO UPDATE SET messages = excluded.messages, active_days = excluded.active_days, last_day = excluded.last_day

-- name: delete-member-activity
DELETE FROM member_activity WHERE workspace_id = ? AND member_id = ?

-- name: save-activity-window
INSERT INTO activity_windows (workspace_id, day_from, day_to, computed_at) VALUES (?, ?, ?, ?)
ON CONFLICT (workspace_id) DO UPDATE SET day_from = excluded.day_from, day_to = excluded.day_to, computed_at = excluded.computed_at

-- name: delete-community-activity
DELETE FROM community_activity WHERE workspace_id = ?

-- name: save-community-activity
INSERT INTO community_activity (workspace_id, community_id, active_members)
SELECT workspace_id, community_id, count(DISTINCT member_id)
FROM member_days WHERE workspace_id = ? AND day >= ? AND day <= ?
GROUP BY workspace_id, community_id

-- name: day-marks
SELECT day, max(last_id) FROM community_days WHERE workspace_id = ? AND day >= ? AND day <= ? GROUP BY day

-- name: kept-day-marks
SELECT day, last_id FROM workspace_days WHERE workspace_id = ? AND day >= ? AND day <= ?

-- name: save-workspace-day
INSERT INTO workspace_days (workspace_id, day, active_members, last_id)
SELECT workspace_id, day, count(DISTINCT member_id), ? FROM member_days WHERE workspace_id = ? AND day = ?
GROUP BY workspace_id, day
ON CONFLICT (workspace_id, day) DO UPDATE SET active_members = excluded.active_members, last_id = excluded.last_id

-- name: set-activity-tiers
-- one row per member (VALUES columns are named column1… on both databases)
UPDATE member_activity SET tier = v.column3
FROM (VALUES (CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT))) AS v
WHERE member_activity.workspace_id = v.column1 AND member_activity.member_id = v.column2

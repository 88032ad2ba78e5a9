-- name: add-community-hours
INSERT INTO community_hours (workspace_id, community_id, hour, messages, negative, questions) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (community_id, hour) DO UPDATE SET messages = community_hours.messages + excluded.messages,
    negative = community_hours.negative + excluded.negative, questions = community_hours.questions + excluded.questions

-- name: community-activity
SELECT community_id, sum(messages), max(last_ts) FROM community_days
WHERE workspace_id = ? AND day >= ? GROUP BY community_id

-- name: hour-signals
SELECT community_id, sum(messages), sum(negative) FROM community_hours
WHERE workspace_id = ? AND hour >= ? AND hour < ? GROUP BY community_id

-- name: dormant-members
-- Members whose last day with a message in a group is the given day: that
-- day's rows, less those with a later day (found by the member index).
SELECT d.member_id, d.community_id, coalesce(m.display_name, ''), d.day
FROM member_days d JOIN members m ON m.id = d.member_id
WHERE d.workspace_id = ? AND d.day = ? AND d.messages > 0
  AND NOT EXISTS (SELECT 1 FROM member_days l INDEXED BY member_days_member WHERE l.workspace_id = d.workspace_id AND l.member_id = d.member_id
                  AND l.community_id = d.community_id AND l.day > d.day AND l.messages > 0)

-- name: first-message
UPDATE memberships SET first_message_at = ? WHERE workspace_id = ? AND community_id = ? AND member_id = ? AND first_message_at IS NULL

-- name: oldest-hour
SELECT coalesce(min(hour), 0) FROM community_hours WHERE workspace_id = ?

-- name: delete-hours
DELETE FROM community_hours WHERE workspace_id = ? AND hour >= ? AND hour < ?

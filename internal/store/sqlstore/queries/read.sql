-- Read models for the API and the console. Every query filters on workspace_id.

-- name: overview-counts
-- Members, stored events and messages are totals every batch adds to.
SELECT
    (SELECT count(*) FROM communities WHERE workspace_id = ?),
    coalesce((SELECT members FROM workspace_totals WHERE workspace_id = ?), 0),
    coalesce((SELECT events FROM workspace_totals WHERE workspace_id = ?), 0),
    coalesce((SELECT messages FROM workspace_totals WHERE workspace_id = ?), 0)

-- name: overview-window
SELECT coalesce(sum(messages), 0), coalesce(sum(joins), 0), coalesce(sum(leaves), 0)
FROM community_days WHERE workspace_id = ? AND day >= ? AND day <= ?

-- name: active-members-window
SELECT count(DISTINCT member_id) FROM member_days WHERE workspace_id = ? AND day >= ? AND day <= ?

-- name: workspace-days
SELECT day, sum(messages), sum(joins), sum(leaves)
FROM community_days WHERE workspace_id = ? AND day >= ? AND day <= ?
GROUP BY day ORDER BY day

-- name: workspace-active-days
SELECT day, count(DISTINCT member_id)
FROM member_days WHERE workspace_id = ? AND day >= ? AND day <= ?
GROUP BY day ORDER BY day

-- name: community-days
SELECT day, messages, active_members, joins, leaves
FROM community_days WHERE workspace_id = ? AND community_id = ? AND day >= ? AND day <= ?
ORDER BY day

-- name: find-community-by-id
SELECT id, workspace_id, platform, external_id, name, kind, theme, tags, structure, stage, rules, capacity, benchmark, created_at, time_zone
FROM communities WHERE workspace_id = ? AND id = ?

-- name: update-community
UPDATE communities SET name = ?, kind = ?, theme = ?, tags = ?, structure = ?, stage = ?, rules = ?, capacity = ?, benchmark = ?, time_zone = ?
WHERE workspace_id = ? AND id = ?

-- name: community-window-stats
SELECT community_id, sum(messages), sum(joins), sum(leaves), max(last_ts)
FROM community_days WHERE workspace_id = ? AND day >= ? AND day <= ?
GROUP BY community_id

-- name: community-window-active
SELECT community_id, count(DISTINCT member_id)
FROM member_days WHERE workspace_id = ? AND day >= ? AND day <= ?
GROUP BY community_id

-- name: community-member-counts
SELECT community_id, active FROM community_members WHERE workspace_id = ?

-- name: find-communities
SELECT id, workspace_id, platform, external_id, name, kind, theme, tags, structure, stage, rules, capacity, benchmark, created_at, time_zone
FROM communities
WHERE workspace_id = ? AND (? = '' OR platform = ?)
  AND (? = '' OR lower(name) LIKE ? OR lower(external_id) LIKE ?)
ORDER BY id

-- name: find-member-by-id
SELECT id, workspace_id, display_name, phone, tags, note, created_at, staff FROM members WHERE workspace_id = ? AND id = ?

-- name: find-identities
SELECT id, workspace_id, member_id, platform, external_id, display_name, created_at
FROM identities WHERE workspace_id = ? AND member_id = ? ORDER BY id

-- name: find-memberships
SELECT ms.id, ms.workspace_id, ms.community_id, c.name, ms.member_id, ms.role, ms.status, ms.joined_at, ms.left_at,
       ms.invited_by, ms.join_source, ms.status_at, ms.lifecycle
FROM memberships ms JOIN communities c ON c.workspace_id = ms.workspace_id AND c.id = ms.community_id
WHERE ms.workspace_id = ? AND ms.member_id = ? ORDER BY ms.id

-- name: count-invited
SELECT count(*) FROM memberships WHERE workspace_id = ? AND invited_by = ?

-- name: member-days
SELECT day, community_id, messages, reactions FROM member_days INDEXED BY member_days_member
WHERE workspace_id = ? AND member_id = ? AND day >= ? AND day <= ?
ORDER BY day DESC

-- name: member-day-events
SELECT day, community_id, event_ids FROM member_days INDEXED BY member_days_member
WHERE workspace_id = ? AND member_id = ? AND day >= ? AND day <= ?
ORDER BY day DESC

-- name: events-in
SELECT e.id, e.workspace_id, e.platform, e.source_id, e.community_id, c.name, e.member_id, e.kind, e.ts, e.text, e.reply_to, e.target_id, e.inviter_id, e.attachments
FROM events e JOIN communities c ON c.workspace_id = e.workspace_id AND c.id = e.community_id
WHERE e.id IN (?) AND e.workspace_id + 0 = ?

-- name: member-events-in
SELECT e.id, e.workspace_id, e.platform, e.source_id, e.community_id, c.name, e.member_id, e.kind, e.ts, e.text, e.reply_to, e.target_id, e.inviter_id, e.attachments
FROM community_days d
JOIN events e ON e.id >= d.first_id AND e.id <= d.last_id
JOIN communities c ON c.workspace_id = e.workspace_id AND c.id = e.community_id
WHERE d.workspace_id = ? AND d.day = ? AND d.community_id = ?
  AND e.workspace_id + 0 = d.workspace_id AND e.community_id + 0 = d.community_id AND e.member_id + 0 = ?
ORDER BY e.ts DESC

-- name: community-recent-days
SELECT day, first_id, last_id FROM community_days
WHERE workspace_id = ? AND community_id = ? AND day <= ?
ORDER BY day DESC LIMIT ?

-- name: community-events-in
SELECT e.id, e.workspace_id, e.platform, e.source_id, e.community_id, c.name, e.member_id, e.kind, e.ts, e.text, e.reply_to, e.target_id, e.inviter_id, e.attachments
FROM events e JOIN communities c ON c.workspace_id = e.workspace_id AND c.id = e.community_id
WHERE e.id >= ? AND e.id <= ? AND e.workspace_id + 0 = ? AND e.community_id + 0 = ?
ORDER BY e.id DESC LIMIT ?


-- name: member-platforms
SELECT member_id, platform FROM identities WHERE workspace_id = ? AND member_id IN (?)

-- name: member-community-counts
SELECT member_id, count(*) FROM memberships WHERE workspace_id = ? AND status = 'active' AND member_id IN (?)
GROUP BY member_id

-- name: members-in
SELECT m.id, m.workspace_id, m.display_name, m.phone, m.tags, m.note, m.created_at, coalesce(st.tier, ''), m.staff
FROM members m
LEFT JOIN member_standings st ON st.workspace_id = m.workspace_id AND st.member_id = m.id
WHERE m.workspace_id = ? AND m.id IN (?)

-- name: member-activity-in
SELECT member_id, messages, active_days, last_day FROM member_activity WHERE workspace_id = ? AND member_id IN (?)

-- name: member-window-in
SELECT member_id, sum(messages), count(DISTINCT day), max(day) FROM member_days INDEXED BY member_days_member
WHERE workspace_id = ? AND member_id IN (?) AND day >= ? AND day <= ?
GROUP BY member_id

-- name: activity-window
SELECT day_from, day_to FROM activity_windows WHERE workspace_id = ?

-- name: community-kept-active
SELECT community_id, active_members FROM community_activity WHERE workspace_id = ?

-- name: membership-event-ids
SELECT event_ids FROM memberships WHERE workspace_id = ? AND member_id = ? AND event_ids <> ''

-- name: workspace-kept-actives
SELECT day, active_members FROM workspace_days WHERE workspace_id = ? AND day >= ? AND day <= ?

-- name: count-member-activity
SELECT count(*) FROM member_activity WHERE workspace_id = ?

-- name: count-workspace-members
SELECT coalesce((SELECT members FROM workspace_totals WHERE workspace_id = ?), 0)

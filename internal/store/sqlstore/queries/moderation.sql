-- name: find-moderation-rule
SELECT config, updated_at FROM moderation_rules WHERE workspace_id = ? AND community_id = ?

-- name: save-moderation-rule
INSERT INTO moderation_rules (workspace_id, community_id, config, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (workspace_id, community_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at

-- name: rule-versions
SELECT coalesce(max(updated_at), 0), count(*) FROM moderation_rules WHERE workspace_id = ?

-- name: sample-version
SELECT coalesce(max(id), 0) FROM training_samples WHERE workspace_id = ?

-- name: find-samples
SELECT label, text FROM training_samples WHERE workspace_id = ? ORDER BY id

-- name: insert-sample
INSERT INTO training_samples (workspace_id, label, text, case_id, created_at) VALUES (?, ?, ?, ?, ?)

-- name: insert-case
INSERT INTO moderation_cases (workspace_id, community_id, member_id, event_id, platform, source_id, text, reason, detectors, verdicts, action, status, reporter_id, created_at, shadow, message_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: insert-outbox
INSERT INTO outbox (workspace_id, idempotency_key, platform, community_id, member_id, action, payload, case_id, status, due_at, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
ON CONFLICT (workspace_id, idempotency_key) DO NOTHING

-- name: insert-block
INSERT INTO blocklist (workspace_id, member_id, reason, case_id, created_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, member_id) DO NOTHING

-- name: delete-block
DELETE FROM blocklist WHERE workspace_id = ? AND member_id = ?

-- name: find-blocklist
SELECT b.workspace_id, b.member_id, m.display_name, b.reason, b.case_id, b.created_at
FROM blocklist b JOIN members m ON m.workspace_id = b.workspace_id AND m.id = b.member_id
WHERE b.workspace_id = ? ORDER BY b.created_at DESC

-- name: membership-role
SELECT role, joined_at FROM memberships WHERE workspace_id = ? AND community_id = ? AND member_id = ?

-- name: active-communities-of
SELECT ms.community_id, c.platform FROM memberships ms JOIN communities c ON c.workspace_id = ms.workspace_id AND c.id = ms.community_id
WHERE ms.workspace_id = ? AND ms.member_id = ? AND ms.status = 'active'

-- name: count-warnings
SELECT count(*) FROM moderation_cases WHERE workspace_id = ? AND member_id = ? AND action = 'warn' AND status <> 'overturned' AND shadow = 0

-- name: find-event-by-source
SELECT id, community_id, member_id, text FROM events WHERE workspace_id = ? AND platform = ? AND source_id = ?

-- name: find-cases
SELECT mc.id, mc.workspace_id, mc.community_id, c.name, mc.member_id, m.display_name, mc.event_id, mc.platform, mc.source_id, mc.text,
       mc.reason, mc.detectors, mc.verdicts, mc.action, mc.status, mc.reporter_id, mc.created_at, mc.reviewed_at, mc.reviewed_by,
       mc.shadow, coalesce(mc.message_at, mc.created_at)
FROM moderation_cases mc
JOIN communities c ON c.workspace_id = mc.workspace_id AND c.id = mc.community_id
JOIN members m ON m.workspace_id = mc.workspace_id AND m.id = mc.member_id
WHERE mc.workspace_id = ? AND (? = '' OR mc.status = ?) AND (? = '' OR mc.reason = ?)
  AND (? = 0 OR mc.community_id = ?) AND (? = 0 OR mc.member_id = ?) AND (? = '' OR mc.detectors LIKE ?)
  AND coalesce(mc.message_at, mc.created_at) >= ? AND coalesce(mc.message_at, mc.created_at) < ?
ORDER BY mc.id DESC LIMIT ? OFFSET ?

-- name: count-cases
SELECT count(*) FROM moderation_cases mc
WHERE mc.workspace_id = ? AND (? = '' OR mc.status = ?) AND (? = '' OR mc.reason = ?)
  AND (? = 0 OR mc.community_id = ?) AND (? = 0 OR mc.member_id = ?) AND (? = '' OR mc.detectors LIKE ?)
  AND coalesce(mc.message_at, mc.created_at) >= ? AND coalesce(mc.message_at, mc.created_at) < ?

-- name: reviewed-detectors
SELECT detectors, status, count(*) FROM moderation_cases
WHERE workspace_id = ? AND reviewed_at >= ? AND status IN ('approved', 'overturned') AND reason = 'detector'
GROUP BY detectors, status

-- name: find-case
SELECT mc.id, mc.workspace_id, mc.community_id, c.name, mc.member_id, m.display_name, mc.event_id, mc.platform, mc.source_id, mc.text,
       mc.reason, mc.detectors, mc.verdicts, mc.action, mc.status, mc.reporter_id, mc.created_at, mc.reviewed_at, mc.reviewed_by,
       mc.shadow, coalesce(mc.message_at, mc.created_at)
FROM moderation_cases mc
JOIN communities c ON c.workspace_id = mc.workspace_id AND c.id = mc.community_id
JOIN members m ON m.workspace_id = mc.workspace_id AND m.id = mc.member_id
WHERE mc.workspace_id = ? AND mc.id = ?

-- name: review-case
UPDATE moderation_cases SET status = ?, reviewed_at = ?, reviewed_by = ? WHERE workspace_id = ? AND id = ? AND status = 'open'

-- name: cancel-case-outbox
UPDATE outbox SET status = 'cancelled' WHERE workspace_id = ? AND case_id = ? AND status = 'pending'

-- name: find-outbox
SELECT o.id, o.workspace_id, o.idempotency_key, o.platform, o.community_id, o.member_id, o.action, o.payload, o.case_id, o.status, o.attempts,
       o.due_at, o.created_at, o.last_error, coalesce(c.name, ''), coalesce(m.display_name, '')
FROM outbox o
LEFT JOIN communities c ON c.workspace_id = o.workspace_id AND c.id = o.community_id
LEFT JOIN members m ON m.workspace_id = o.workspace_id AND m.id = o.member_id
WHERE o.workspace_id = ? AND (? = 0 OR o.case_id = ?) AND (? = '' OR o.status = ?)
ORDER BY o.id DESC LIMIT ?

-- name: find-moderation-rules
SELECT community_id, config, updated_at FROM moderation_rules WHERE workspace_id = ?

-- name: blocklist-version
SELECT coalesce(max(created_at), 0), count(*) FROM blocklist WHERE workspace_id = ?

-- name: blocked-members
SELECT member_id FROM blocklist WHERE workspace_id = ?

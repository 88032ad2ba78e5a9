-- name: insert-alert
INSERT INTO alerts (workspace_id, kind, community_id, member_id, dedupe_key, details, status, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)
ON CONFLICT (workspace_id, dedupe_key) DO NOTHING RETURNING id

-- name: find-alerts
SELECT a.id, a.workspace_id, a.kind, a.community_id, coalesce(c.name, ''), a.member_id, coalesce(m.display_name, ''), a.dedupe_key, a.details, a.status, a.created_at, a.updated_at
FROM alerts a
LEFT JOIN communities c ON c.workspace_id = a.workspace_id AND c.id = a.community_id
LEFT JOIN members m ON m.workspace_id = a.workspace_id AND m.id = a.member_id
WHERE a.workspace_id = ? AND (? = '' OR a.status = ?) AND (? = '' OR a.kind = ?)
ORDER BY a.id DESC LIMIT ?

-- name: update-alert
UPDATE alerts SET status = ?, updated_at = ? WHERE workspace_id = ? AND id = ?

-- name: count-open-alerts
SELECT count(*) FROM alerts WHERE workspace_id = ? AND status = 'open'

-- name: recent-cases
SELECT community_id, count(*) FROM moderation_cases
WHERE workspace_id = ? AND created_at >= ? AND reason = 'detector' GROUP BY community_id

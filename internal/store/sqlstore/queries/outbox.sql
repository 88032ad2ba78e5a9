-- name: claim-outbox
UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_at = ?
WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE (o.platform = ? OR (? = '*' AND o.platform <> ?)) AND (? = 0 OR o.workspace_id = ?) AND ((o.status = 'pending' AND o.due_at <= ?) OR (o.status = 'sending' AND o.claimed_at <= ?))
      AND (? = 0 OR NOT EXISTS (SELECT 1 FROM connectors c WHERE c.workspace_id = o.workspace_id AND c.platform = o.platform AND c.status = 'active'))
    ORDER BY o.due_at, o.id LIMIT ?)
  AND ((status = 'pending' AND due_at <= ?) OR (status = 'sending' AND claimed_at <= ?))
RETURNING id, workspace_id, idempotency_key, platform, community_id, member_id, action, payload, case_id, status, attempts, due_at, created_at

-- name: mark-outbox
UPDATE outbox SET status = ?, due_at = ?, last_error = ? WHERE id = ? AND status = 'sending'

-- name: log-connector
INSERT INTO connector_log (workspace_id, idempotency_key, platform, action, payload, at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, idempotency_key) DO UPDATE SET calls = connector_log.calls + 1

-- name: logged-connector
SELECT count(*) FROM connector_log WHERE workspace_id = ? AND idempotency_key = ?

-- name: count-connector-log
SELECT count(*) FROM connector_log WHERE workspace_id = ?

-- name: max-connector-calls
SELECT coalesce(max(calls), 0) FROM connector_log WHERE workspace_id = ?

-- name: community-ref
SELECT external_id FROM communities WHERE workspace_id = ? AND id = ?

-- name: member-ref
SELECT external_id FROM identities WHERE workspace_id = ? AND member_id = ? AND platform = ? ORDER BY id LIMIT 1

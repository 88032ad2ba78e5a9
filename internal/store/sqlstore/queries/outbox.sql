-- name: claim-outbox
UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_at = ?
WHERE id IN (
    SELECT id FROM outbox
    WHERE platform = ? AND ((status = 'pending' AND due_at <= ?) OR (status = 'sending' AND claimed_at <= ?))
    ORDER BY due_at, id LIMIT ?)
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

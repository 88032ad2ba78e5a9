-- name: insert-connector
INSERT INTO connectors (workspace_id, platform, name, status, config, secret, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: find-connectors
SELECT id, workspace_id, platform, name, status, config, secret, created_at, events, last_event_at, last_error, last_error_at, state, failing_since, updated_at
FROM connectors WHERE (? = 0 OR workspace_id = ?) AND (? = '' OR status = ?) ORDER BY id

-- name: find-connector
SELECT id, workspace_id, platform, name, status, config, secret, created_at, events, last_event_at, last_error, last_error_at, state, failing_since, updated_at
FROM connectors WHERE workspace_id = ? AND id = ?

-- name: set-connector-status
UPDATE connectors SET status = ?, failing_since = 0 WHERE workspace_id = ? AND id = ? AND status <> 'deleted'

-- name: update-connector
UPDATE connectors SET name = ?, config = ?, secret = ?, updated_at = ?, failing_since = 0 WHERE workspace_id = ? AND id = ? AND status <> 'deleted'

-- name: connector-events
UPDATE connectors SET events = events + ?, last_event_at = ?, failing_since = 0 WHERE id = ?

-- name: connector-error
UPDATE connectors SET last_error = ?, last_error_at = ?, failing_since = CASE WHEN failing_since = 0 THEN ? ELSE failing_since END WHERE id = ?

-- name: connector-state
UPDATE connectors SET state = ?, failing_since = 0 WHERE id = ?

-- name: take-lease
INSERT INTO connector_leases (connector_id, holder, expires_at) VALUES (?, ?, ?)
ON CONFLICT (connector_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
WHERE connector_leases.holder = excluded.holder OR connector_leases.expires_at < ?
RETURNING holder

-- name: drop-lease
DELETE FROM connector_leases WHERE connector_id = ? AND holder = ?

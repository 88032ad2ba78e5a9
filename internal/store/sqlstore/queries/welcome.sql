-- name: mark-intro
UPDATE memberships SET intro_at = ? WHERE workspace_id = ? AND community_id = ? AND member_id = ? AND intro_at IS NULL
  AND joined_at IS NOT NULL AND joined_at >= ?

-- name: pending-outbox-payload
SELECT payload FROM outbox WHERE workspace_id = ? AND idempotency_key = ? AND status = 'pending'

-- name: outbox-status
SELECT status FROM outbox WHERE workspace_id = ? AND idempotency_key = ?

-- name: set-outbox-payload
UPDATE outbox SET payload = ? WHERE workspace_id = ? AND idempotency_key = ? AND status = 'pending'

-- name: find-welcome
SELECT community_id, config FROM welcome_settings WHERE workspace_id = ?

-- name: save-welcome
INSERT INTO welcome_settings (workspace_id, community_id, config) VALUES (?, ?, ?)
ON CONFLICT (workspace_id, community_id) DO UPDATE SET config = excluded.config

-- name: delete-welcome
DELETE FROM welcome_settings WHERE workspace_id = ? AND community_id = ?

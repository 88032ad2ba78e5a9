-- name: insert-automation
INSERT INTO automations (workspace_id, name, kind, enabled, config, planned_until, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: update-automation
UPDATE automations SET name = ?, kind = ?, enabled = ?, config = ?, planned_until = ?, updated_at = ? WHERE workspace_id = ? AND id = ?

-- name: delete-automation
DELETE FROM automations WHERE workspace_id = ? AND id = ?

-- name: find-automation
SELECT id, workspace_id, name, kind, enabled, config, planned_until, created_at, updated_at FROM automations WHERE workspace_id = ? AND id = ?

-- name: find-automations
SELECT id, workspace_id, name, kind, enabled, config, planned_until, created_at, updated_at FROM automations WHERE workspace_id = ? ORDER BY id

-- name: set-planned-until
UPDATE automations SET planned_until = ? WHERE workspace_id = ? AND id = ? AND planned_until < ?

-- name: insert-run
INSERT INTO automation_runs (workspace_id, run_key, automation_id, at) VALUES (?, ?, ?, ?)
ON CONFLICT (workspace_id, run_key) DO NOTHING

-- name: cancel-pending-outbox
UPDATE outbox SET status = 'cancelled' WHERE workspace_id = ? AND status = 'pending' AND idempotency_key LIKE ? AND due_at > ?

-- name: member-tags
SELECT tags FROM members WHERE workspace_id = ? AND id = ?

-- name: set-member-tags
UPDATE members SET tags = ? WHERE workspace_id = ? AND id = ?

-- name: insert-broadcast
INSERT INTO broadcasts (workspace_id, text, selector, communities, status, stagger_seconds, created_by, approved_by, created_at, decided_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: find-broadcast
SELECT id, workspace_id, text, selector, communities, status, stagger_seconds, created_by, approved_by, created_at, decided_at
FROM broadcasts WHERE workspace_id = ? AND id = ?

-- name: find-broadcasts
SELECT id, workspace_id, text, selector, communities, status, stagger_seconds, created_by, approved_by, created_at, decided_at
FROM broadcasts WHERE workspace_id = ? ORDER BY id DESC LIMIT ?

-- name: decide-broadcast
UPDATE broadcasts SET status = ?, approved_by = ?, decided_at = ? WHERE workspace_id = ? AND id = ? AND status = 'pending_approval'

-- name: create-workspace
INSERT INTO workspaces (slug, name, time_zone, created_at) VALUES (?, ?, ?, ?) RETURNING id

-- name: find-workspace-by-id
SELECT id, slug, name, time_zone, created_at FROM workspaces WHERE id = ?

-- name: find-workspace-by-slug
SELECT id, slug, name, time_zone, created_at FROM workspaces WHERE slug = ?

-- name: find-workspaces
SELECT id, slug, name, time_zone, created_at FROM workspaces ORDER BY id

-- name: create-operator
INSERT INTO operators (workspace_id, email, name, role, lang, password_hash, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: find-operator-by-email
SELECT id, workspace_id, email, name, role, lang, password_hash, created_at FROM operators WHERE email = ?

-- name: find-operator-by-id
SELECT id, workspace_id, email, name, role, lang, password_hash, created_at FROM operators WHERE id = ?

-- name: update-operator-lang
UPDATE operators SET lang = ? WHERE id = ?

-- name: create-session
INSERT INTO sessions (hash, operator_id, expires_at) VALUES (?, ?, ?)

-- name: find-session
SELECT hash, operator_id, expires_at FROM sessions WHERE hash = ? AND expires_at > ?

-- name: delete-session
DELETE FROM sessions WHERE hash = ?

-- name: delete-expired-sessions
DELETE FROM sessions WHERE expires_at <= ?

-- name: create-token
INSERT INTO api_tokens (workspace_id, name, hash, created_at) VALUES (?, ?, ?, ?) RETURNING id

-- name: find-token-by-hash
SELECT id, workspace_id, name, hash, created_at, last_used_at FROM api_tokens WHERE hash = ?

-- name: find-operators
SELECT id, workspace_id, email, name, role, lang, password_hash, created_at FROM operators WHERE workspace_id = ? ORDER BY id

-- name: find-tokens
SELECT id, workspace_id, name, hash, created_at, last_used_at FROM api_tokens WHERE workspace_id = ? ORDER BY id

-- name: delete-token
DELETE FROM api_tokens WHERE workspace_id = ? AND id = ?

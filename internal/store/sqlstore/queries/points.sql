-- name: insert-points-entry
INSERT INTO points_entries (workspace_id, member_id, amount, kind, reason, idempotency_key, operator_id, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, idempotency_key) DO NOTHING
RETURNING id

-- name: add-balance
INSERT INTO points_balances (workspace_id, member_id, balance) VALUES (?, ?, ?)
ON CONFLICT (workspace_id, member_id) DO UPDATE SET balance = points_balances.balance + excluded.balance

-- name: take-balance
UPDATE points_balances SET balance = balance - ? WHERE workspace_id = ? AND member_id = ? AND balance >= ?

-- name: find-balance
SELECT coalesce((SELECT balance FROM points_balances WHERE workspace_id = ? AND member_id = ?), 0)

-- name: sum-entries
SELECT coalesce(sum(amount), 0) FROM points_entries WHERE workspace_id = ? AND member_id = ?

-- name: find-points-entries
SELECT id, workspace_id, member_id, amount, kind, reason, idempotency_key, operator_id, created_at
FROM points_entries WHERE workspace_id = ? AND member_id = ? ORDER BY id DESC LIMIT ?

-- name: entry-exists
SELECT count(*) FROM points_entries WHERE workspace_id = ? AND idempotency_key = ?

-- name: create-reward
INSERT INTO rewards (workspace_id, name, kind, cost, stock, per_member_limit, active, created_at)
VALUES (?, ?, ?, ?, ?, ?, 1, ?) RETURNING id

-- name: find-reward
SELECT id, workspace_id, name, kind, cost, stock, per_member_limit, active, created_at FROM rewards WHERE workspace_id = ? AND id = ?

-- name: find-rewards
SELECT id, workspace_id, name, kind, cost, stock, per_member_limit, active, created_at FROM rewards WHERE workspace_id = ? ORDER BY id

-- name: take-stock
UPDATE rewards SET stock = stock - 1 WHERE workspace_id = ? AND id = ? AND active = 1 AND stock > 0

-- name: return-stock
UPDATE rewards SET stock = stock + 1 WHERE workspace_id = ? AND id = ? AND stock IS NOT NULL

-- name: count-redemptions
SELECT count(*) FROM redemptions WHERE workspace_id = ? AND member_id = ? AND reward_id = ? AND status <> 'cancelled'

-- name: insert-redemption
INSERT INTO redemptions (workspace_id, reward_id, member_id, cost, status, delivery, idempotency_key, created_at, updated_at)
VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING id

-- name: find-redemption
SELECT id, workspace_id, reward_id, member_id, cost, status, delivery, idempotency_key, created_at, updated_at
FROM redemptions WHERE workspace_id = ? AND id = ?

-- name: find-redemption-by-key
SELECT id, workspace_id, reward_id, member_id, cost, status, delivery, idempotency_key, created_at, updated_at
FROM redemptions WHERE workspace_id = ? AND idempotency_key = ?

-- name: set-redemption-status
UPDATE redemptions SET status = ?, updated_at = ? WHERE workspace_id = ? AND id = ? AND status = 'pending'

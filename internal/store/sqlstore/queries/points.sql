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
SELECT coalesce((SELECT sum(amount) FROM points_entries WHERE workspace_id = ? AND member_id = ?), 0)
     + coalesce((SELECT sum(points) FROM member_days INDEXED BY member_days_member WHERE workspace_id = ? AND member_id = ?), 0)

-- name: find-points-entries
SELECT id, workspace_id, member_id, amount, kind, reason, idempotency_key, operator_id, created_at, coalesce(occurred_at, created_at)
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
SELECT id, workspace_id, reward_id, member_id, cost, status, delivery, idempotency_key, created_at, updated_at, delivery_token <> '' AND delivery = ''
FROM redemptions WHERE workspace_id = ? AND id = ?

-- name: find-redemption-by-key
SELECT id, workspace_id, reward_id, member_id, cost, status, delivery, idempotency_key, created_at, updated_at, delivery_token <> '' AND delivery = ''
FROM redemptions WHERE workspace_id = ? AND idempotency_key = ?

-- name: set-delivery-token
UPDATE redemptions SET delivery_token = ? WHERE workspace_id = ? AND id = ?

-- name: find-redemption-by-token
SELECT id, workspace_id, reward_id, member_id, cost, status, delivery, idempotency_key, created_at, updated_at, delivery_token <> '' AND delivery = ''
FROM redemptions WHERE delivery_token = ?

-- name: save-delivery
UPDATE redemptions SET delivery = ?, updated_at = ? WHERE workspace_id = ? AND id = ? AND status = 'pending' AND delivery_token <> ''

-- name: set-redemption-status
UPDATE redemptions SET status = ?, updated_at = ? WHERE workspace_id = ? AND id = ? AND status = 'pending'

-- name: insert-earnings
INSERT INTO points_entries (workspace_id, member_id, community_id, amount, kind, reason, idempotency_key, created_at, occurred_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, idempotency_key) DO NOTHING
RETURNING idempotency_key

-- name: insert-earnings-numbered
INSERT INTO points_entries (id, workspace_id, member_id, community_id, amount, kind, reason, idempotency_key, created_at, occurred_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, idempotency_key) DO NOTHING

-- name: max-entry-id
SELECT coalesce(max(id), 0) FROM points_entries

-- name: present-entries-in
SELECT idempotency_key FROM points_entries WHERE id IN (?)

-- name: day-points-in
SELECT member_id, sum(points) FROM member_days WHERE workspace_id = ? AND day = ? AND member_id IN (?) GROUP BY member_id

-- name: chat-points-days
SELECT day, sum(points) FROM member_days INDEXED BY member_days_member
WHERE workspace_id = ? AND member_id = ? AND points > 0 GROUP BY day ORDER BY day DESC LIMIT ?

-- name: add-period-points
INSERT INTO points_periods (workspace_id, period, community_id, member_id, points) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, period, community_id, member_id) DO UPDATE SET points = points_periods.points + excluded.points

-- name: add-balances
INSERT INTO points_balances (workspace_id, member_id, balance) VALUES (?, ?, ?)
ON CONFLICT (workspace_id, member_id) DO UPDATE SET balance = points_balances.balance + excluded.balance

-- name: period-points
SELECT points FROM points_periods WHERE workspace_id = ? AND period = ? AND community_id = ? AND member_id = ?

-- name: leaderboard
SELECT p.member_id, m.display_name, p.points FROM points_periods p
JOIN members m ON m.workspace_id = p.workspace_id AND m.id = p.member_id
WHERE p.workspace_id = ? AND p.period = ? AND p.community_id = ? AND p.period > 'E'
ORDER BY p.points DESC, p.member_id LIMIT ?

-- name: rank-of
SELECT count(*) + 1 FROM points_periods WHERE workspace_id = ? AND period = ? AND community_id = ? AND points > ? AND period > 'E'

-- name: find-points-rule
SELECT config FROM points_rules WHERE workspace_id = ?

-- name: save-points-rule
INSERT INTO points_rules (workspace_id, config, updated_at) VALUES (?, ?, ?)
ON CONFLICT (workspace_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at

-- name: tx-balance
SELECT coalesce((SELECT balance FROM points_balances WHERE workspace_id = ? AND member_id = ?), 0)

-- name: find-redemptions
SELECT rd.id, rd.workspace_id, rd.reward_id, rd.member_id, rd.cost, rd.status, rd.delivery, rd.idempotency_key, rd.created_at, rd.updated_at,
       rd.delivery_token <> '' AND rd.delivery = '', coalesce(m.display_name, ''), coalesce(rw.name, '')
FROM redemptions rd
LEFT JOIN members m ON m.workspace_id = rd.workspace_id AND m.id = rd.member_id
LEFT JOIN rewards rw ON rw.workspace_id = rd.workspace_id AND rw.id = rd.reward_id
WHERE rd.workspace_id = ? AND (? = '' OR rd.status = ?) ORDER BY rd.id DESC LIMIT ?

-- name: lifetime-earned
SELECT coalesce((SELECT sum(amount) FROM points_entries WHERE workspace_id = ? AND member_id = ? AND kind IN ('earn', 'grant')), 0)
     + coalesce((SELECT sum(points) FROM member_days INDEXED BY member_days_member WHERE workspace_id = ? AND member_id = ?), 0)

-- name: points-through
-- the last day whose chat points the period totals hold ('' none)
SELECT through FROM points_folds WHERE workspace_id = ?

-- name: create-points-fold
INSERT INTO points_folds (workspace_id, through) VALUES (?, '') ON CONFLICT (workspace_id) DO NOTHING

-- name: set-points-through
UPDATE points_folds SET through = ? WHERE workspace_id = ?

-- name: chat-days-after
SELECT DISTINCT day FROM member_days WHERE workspace_id = ? AND day > ? AND day <= ? ORDER BY day LIMIT ?

-- name: fold-chat-points
INSERT INTO points_periods (workspace_id, period, community_id, member_id, points)
SELECT workspace_id, ?, community_id, member_id, sum(points) FROM member_days
WHERE workspace_id = ? AND day = ? AND points <> 0
GROUP BY workspace_id, community_id, member_id
ON CONFLICT (workspace_id, period, community_id, member_id) DO UPDATE SET points = points_periods.points + excluded.points

-- name: fold-chat-points-workspace
INSERT INTO points_periods (workspace_id, period, community_id, member_id, points)
SELECT workspace_id, ?, 0, member_id, sum(points) FROM member_days
WHERE workspace_id = ? AND day = ? AND points <> 0
GROUP BY workspace_id, member_id
ON CONFLICT (workspace_id, period, community_id, member_id) DO UPDATE SET points = points_periods.points + excluded.points

-- name: live-chat-points
-- chat points of the days not folded in yet, in a group
SELECT member_id, sum(points) FROM member_days
WHERE workspace_id = ? AND day > ? AND day >= ? AND day <= ? AND community_id = ? AND points <> 0
GROUP BY member_id

-- name: live-chat-points-workspace
SELECT member_id, sum(points) FROM member_days
WHERE workspace_id = ? AND day > ? AND day >= ? AND day <= ? AND points <> 0
GROUP BY member_id

-- name: live-chat-points-member
SELECT coalesce(sum(points), 0) FROM member_days INDEXED BY member_days_member
WHERE workspace_id = ? AND member_id = ? AND day > ? AND day >= ? AND day <= ? AND (community_id = ? OR ? = 0)

-- name: period-points-in
SELECT member_id, points FROM points_periods WHERE workspace_id = ? AND period = ? AND community_id = ? AND member_id IN (?)

-- name: member-names-in
SELECT id, display_name FROM members WHERE workspace_id = ? AND id IN (?)

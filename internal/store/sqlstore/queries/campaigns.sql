-- name: insert-campaign
INSERT INTO campaigns (workspace_id, kind, name, community_ids, new_only, hold_hours, start_at, end_at, cost, created_at, secret)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: update-campaign
UPDATE campaigns SET name = ?, community_ids = ?, new_only = ?, hold_hours = ?, start_at = ?, end_at = ?, cost = ? WHERE workspace_id = ? AND id = ?

-- name: delete-campaign-stages
DELETE FROM campaign_stages WHERE workspace_id = ? AND campaign_id = ?

-- name: insert-campaign-stage
INSERT INTO campaign_stages (workspace_id, campaign_id, idx, threshold, points, label, stock, paid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)

-- name: find-campaigns
SELECT id, workspace_id, kind, name, community_ids, new_only, hold_hours, start_at, end_at, created_at, secret, cost FROM campaigns WHERE workspace_id = ? ORDER BY id

-- name: find-campaign
SELECT id, workspace_id, kind, name, community_ids, new_only, hold_hours, start_at, end_at, created_at, secret, cost FROM campaigns WHERE workspace_id = ? AND id = ?

-- name: campaign-stages
SELECT campaign_id, threshold, points, label, stock, paid FROM campaign_stages WHERE workspace_id = ? AND (? = 0 OR campaign_id = ?) ORDER BY campaign_id, idx

-- name: campaign-joins
-- the joins an inviter brought into the campaign's window since a time,
-- with what decides them: was the invitee seen before the start (first
-- seen then, or in a group then: a rejoin overwrites a membership's
-- dates), is the invitee blocklisted
SELECT m.member_id, m.invited_by, m.community_id, m.joined_at, coalesce(mb.display_name, ''),
    CASE WHEN mb.created_at < ? OR EXISTS (SELECT 1 FROM memberships o WHERE o.workspace_id = m.workspace_id AND o.member_id = m.member_id
        AND (o.joined_at < ? OR o.left_at < ?)) THEN 1 ELSE 0 END,
    CASE WHEN EXISTS (SELECT 1 FROM blocklist b WHERE b.workspace_id = m.workspace_id AND b.member_id = m.member_id) THEN 1 ELSE 0 END
FROM memberships m LEFT JOIN members mb ON mb.workspace_id = m.workspace_id AND mb.id = m.member_id
WHERE m.workspace_id = ? AND m.invited_by IS NOT NULL AND m.joined_at >= ? AND m.joined_at < ?
ORDER BY m.joined_at, m.id

-- name: insert-help
-- the first inviter of an invitee keeps them: a replay or a second
-- inviter changes nothing
INSERT INTO helps (workspace_id, campaign_id, inviter_id, invitee_id, community_id, status, reason, signals, score, joined_at, decided_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, campaign_id, invitee_id) DO NOTHING

-- name: due-helps
-- held helps whose hold window is over, with whether the invitee stayed
-- and the signals and score they were recorded with
SELECT h.id, CASE WHEN m.status = 'active' OR m.left_at > h.joined_at + ? THEN 1 ELSE 0 END, h.invitee_id, h.community_id, h.joined_at, h.signals, h.score
FROM helps h LEFT JOIN memberships m ON m.workspace_id = h.workspace_id AND m.community_id = h.community_id AND m.member_id = h.invitee_id
WHERE h.workspace_id = ? AND h.campaign_id = ? AND h.status = 'held' AND h.joined_at <= ?

-- name: decide-help
UPDATE helps SET status = ?, reason = ?, signals = ?, score = ?, decided_at = ? WHERE workspace_id = ? AND id = ? AND status = 'held'

-- name: posted-since
-- whether a member wrote in a group on a day from day on
SELECT count(*) FROM member_days WHERE workspace_id = ? AND member_id = ? AND community_id = ? AND day >= ? AND messages > 0

-- name: review-help
UPDATE helps SET status = ?, reason = ?, decided_at = ? WHERE workspace_id = ? AND campaign_id = ? AND id = ? AND status = 'review'

-- name: campaign-progress
SELECT h.inviter_id, coalesce(mb.display_name, ''),
    sum(CASE WHEN h.status IN ('held', 'review') THEN 1 ELSE 0 END),
    sum(CASE WHEN h.status = 'confirmed' THEN 1 ELSE 0 END),
    sum(CASE WHEN h.status = 'voided' THEN 1 ELSE 0 END),
    (SELECT count(*) FROM campaign_payouts p WHERE p.workspace_id = h.workspace_id AND p.campaign_id = h.campaign_id AND p.member_id = h.inviter_id)
FROM helps h LEFT JOIN members mb ON mb.workspace_id = h.workspace_id AND mb.id = h.inviter_id
WHERE h.workspace_id = ? AND h.campaign_id = ?
GROUP BY h.workspace_id, h.campaign_id, h.inviter_id, mb.display_name
ORDER BY 4 DESC, 3 DESC, h.inviter_id

-- name: find-helps
SELECT h.id, h.campaign_id, h.inviter_id, h.invitee_id, h.community_id, h.status, h.reason, h.joined_at, h.decided_at, h.signals, h.score,
    coalesce(a.display_name, ''), coalesce(b.display_name, '')
FROM helps h LEFT JOIN members a ON a.workspace_id = h.workspace_id AND a.id = h.inviter_id
    LEFT JOIN members b ON b.workspace_id = h.workspace_id AND b.id = h.invitee_id
WHERE h.workspace_id = ? AND h.campaign_id = ? AND (? = 0 OR h.inviter_id = ?) ORDER BY h.id

-- name: insert-payout
INSERT INTO campaign_payouts (workspace_id, campaign_id, idx, member_id, paid_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, campaign_id, idx, member_id) DO NOTHING

-- name: take-stage-stock
UPDATE campaign_stages SET paid = paid + 1 WHERE workspace_id = ? AND campaign_id = ? AND idx = ? AND (stock = 0 OR paid < stock)

-- name: member-campaigns
-- the campaigns running at a time (or still deciding), with one member's
-- helps held and confirmed in each
SELECT c.id, c.workspace_id, c.secret, c.name, c.end_at,
    coalesce(sum(CASE WHEN h.status IN ('held', 'review') THEN 1 ELSE 0 END), 0),
    coalesce(sum(CASE WHEN h.status = 'confirmed' THEN 1 ELSE 0 END), 0)
FROM campaigns c LEFT JOIN helps h ON h.workspace_id = c.workspace_id AND h.campaign_id = c.id AND h.inviter_id = ?
WHERE c.workspace_id = ? AND c.start_at <= ? AND c.end_at + c.hold_hours * 3600000 >= ?
GROUP BY c.id, c.workspace_id, c.secret, c.name, c.end_at ORDER BY c.id

-- name: find-campaign-any
SELECT id, workspace_id, kind, name, community_ids, new_only, hold_hours, start_at, end_at, created_at, secret, cost FROM campaigns WHERE id = ?

-- name: insert-challenge
INSERT INTO challenges (workspace_id, title, config, created_at) VALUES (?, ?, ?, ?) RETURNING id

-- name: update-challenge
UPDATE challenges SET title = ?, config = ? WHERE workspace_id = ? AND id = ?

-- name: find-challenge
SELECT id, workspace_id, title, config, created_at FROM challenges WHERE workspace_id = ? AND id = ?

-- name: find-challenges
SELECT id, workspace_id, title, config, created_at FROM challenges WHERE workspace_id = ? ORDER BY id DESC

-- name: insert-checkin
INSERT INTO checkins (workspace_id, challenge_id, member_id, day, community_id, ts, makeup, proof) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (challenge_id, member_id, day) DO NOTHING

-- name: member-checkins
SELECT day, makeup, community_id FROM checkins WHERE challenge_id = ? AND member_id = ? ORDER BY day

-- name: challenge-days
SELECT day, count(*), sum(makeup) FROM checkins WHERE challenge_id = ? GROUP BY day ORDER BY day

-- name: challenge-checkins
SELECT c.member_id, coalesce(m.display_name, ''), c.day, c.makeup, c.community_id
FROM checkins c LEFT JOIN members m ON m.id = c.member_id
WHERE c.challenge_id = ? ORDER BY c.member_id, c.day

-- name: find-challenge-any
SELECT id, workspace_id, title, config, created_at FROM challenges WHERE id = ?

-- name: insert-question
INSERT INTO questions (workspace_id, community_id, member_id, event_id, source_id, ts, text, cue, to_member_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, event_id) DO NOTHING

-- name: answer-question
UPDATE questions SET answer_event_id = ?, answer_source_id = ?, answer_member_id = ?, answered_at = ?, how = ?
WHERE workspace_id = ? AND event_id = ? AND answered_at = 0

-- name: open-questions
SELECT q.event_id, q.source_id, q.community_id, q.member_id, coalesce(m.display_name, ''), q.ts, q.text, q.cue, q.to_member_id
FROM questions q LEFT JOIN members m ON m.id = q.member_id
WHERE q.workspace_id = ? AND q.answered_at = 0 AND q.ts >= ?
ORDER BY q.ts, q.id

-- name: find-questions
SELECT q.id, q.workspace_id, q.community_id, coalesce(c.name, ''), q.member_id, coalesce(m.display_name, ''), q.event_id, q.source_id, q.ts, q.text, q.cue,
       q.to_member_id, q.answer_event_id, q.answer_source_id, q.answer_member_id, q.answered_at, q.how
FROM questions q LEFT JOIN members m ON m.id = q.member_id LEFT JOIN communities c ON c.id = q.community_id
WHERE q.workspace_id = ? AND (? = 0 OR q.community_id = ?) AND q.ts >= ?
  AND (? = '' OR (? = 'open' AND q.answered_at = 0) OR (? = 'answered' AND q.answered_at > 0))
ORDER BY q.ts DESC, q.id DESC LIMIT ?

-- name: question-delays
SELECT q.answered_at - q.ts FROM questions q
WHERE q.workspace_id = ? AND (? = 0 OR q.community_id = ?) AND q.ts >= ? AND q.answered_at > 0
ORDER BY 1

-- name: count-questions
SELECT count(*) FROM questions q WHERE q.workspace_id = ? AND (? = 0 OR q.community_id = ?) AND q.ts >= ?

-- name: add-community-hours
INSERT INTO community_hours (workspace_id, community_id, hour, messages, negative, questions) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (community_id, hour) DO UPDATE SET messages = community_hours.messages + excluded.messages,
    negative = community_hours.negative + excluded.negative, questions = community_hours.questions + excluded.questions

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

-- name: insert-alert
INSERT INTO alerts (workspace_id, kind, community_id, member_id, dedupe_key, details, status, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)
ON CONFLICT (workspace_id, dedupe_key) DO NOTHING RETURNING id

-- name: find-alerts
SELECT a.id, a.workspace_id, a.kind, a.community_id, coalesce(c.name, ''), a.member_id, a.dedupe_key, a.details, a.status, a.created_at, a.updated_at
FROM alerts a LEFT JOIN communities c ON c.id = a.community_id
WHERE a.workspace_id = ? AND (? = '' OR a.status = ?) AND (? = '' OR a.kind = ?)
ORDER BY a.id DESC LIMIT ?

-- name: update-alert
UPDATE alerts SET status = ?, updated_at = ? WHERE workspace_id = ? AND id = ?

-- name: count-open-alerts
SELECT count(*) FROM alerts WHERE workspace_id = ? AND status = 'open'

-- name: member-tags
SELECT tags FROM members WHERE workspace_id = ? AND id = ?

-- name: set-member-tags
UPDATE members SET tags = ? WHERE workspace_id = ? AND id = ?

-- name: first-message
UPDATE memberships SET first_message_at = ? WHERE workspace_id = ? AND community_id = ? AND member_id = ? AND first_message_at IS NULL

-- name: mark-intro
UPDATE memberships SET intro_at = ? WHERE workspace_id = ? AND community_id = ? AND member_id = ? AND intro_at IS NULL
  AND joined_at IS NOT NULL AND joined_at >= ?

-- name: pending-outbox-payload
SELECT payload FROM outbox WHERE workspace_id = ? AND idempotency_key = ? AND status = 'pending'

-- name: set-outbox-payload
UPDATE outbox SET payload = ? WHERE workspace_id = ? AND idempotency_key = ? AND status = 'pending'

-- name: find-welcome
SELECT community_id, config FROM welcome_settings WHERE workspace_id = ?

-- name: save-welcome
INSERT INTO welcome_settings (workspace_id, community_id, config) VALUES (?, ?, ?)
ON CONFLICT (workspace_id, community_id) DO UPDATE SET config = excluded.config

-- name: delete-welcome
DELETE FROM welcome_settings WHERE workspace_id = ? AND community_id = ?

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

-- name: unanswered-questions
SELECT q.id, q.community_id, q.member_id, coalesce(m.display_name, ''), q.ts, q.text, q.cue
FROM questions q LEFT JOIN members m ON m.id = q.member_id
WHERE q.workspace_id = ? AND q.answered_at = 0 AND q.ts < ? AND q.ts >= ?
ORDER BY q.ts LIMIT 500

-- name: community-activity
SELECT community_id, sum(messages), max(last_ts) FROM community_days
WHERE workspace_id = ? AND day >= ? GROUP BY community_id

-- name: recent-cases
SELECT community_id, count(*) FROM moderation_cases
WHERE workspace_id = ? AND created_at >= ? AND reason = 'detector' GROUP BY community_id

-- name: hour-signals
SELECT community_id, sum(messages), sum(negative) FROM community_hours
WHERE workspace_id = ? AND hour >= ? AND hour < ? GROUP BY community_id

-- name: dormant-members
SELECT d.member_id, d.community_id, coalesce(m.display_name, ''), max(d.day)
FROM member_days d JOIN members m ON m.id = d.member_id
WHERE d.workspace_id = ? AND d.messages > 0
GROUP BY d.member_id, d.community_id, m.display_name
HAVING max(d.day) = ?

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

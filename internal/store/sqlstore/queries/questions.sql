-- name: insert-question
INSERT INTO questions (workspace_id, community_id, member_id, event_id, ts, cue, to_member_id)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, event_id) DO NOTHING

-- name: answer-questions
-- one row per question (VALUES columns are named column1… on both databases)
UPDATE questions SET answer_event_id = v.column3, answer_member_id = v.column4, answered_at = v.column5, how = v.column6
FROM (VALUES (CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT))) AS v
WHERE questions.workspace_id = v.column1 AND questions.event_id = v.column2 AND questions.answered_at = 0

-- name: open-questions
-- a question's text and platform id are its event's
SELECT q.event_id, e.platform || ':' || e.source_id, q.community_id, q.member_id, coalesce(m.display_name, ''), q.ts,
       substr(e.text, 1, 501), q.cue, q.to_member_id
FROM questions q JOIN events e ON e.id = q.event_id LEFT JOIN members m ON m.id = q.member_id
WHERE q.workspace_id = ? AND q.answered_at = 0 AND q.ts >= ?
ORDER BY q.ts, q.id

-- name: find-questions
SELECT q.id, q.workspace_id, q.community_id, coalesce(c.name, ''), q.member_id, coalesce(m.display_name, ''), q.event_id,
       e.platform || ':' || e.source_id, q.ts, substr(e.text, 1, 501), q.cue, q.to_member_id, q.answer_event_id,
       coalesce(ae.platform || ':' || ae.source_id, ''), q.answer_member_id, q.answered_at, q.how, coalesce(am.display_name, '')
FROM questions q JOIN events e ON e.id = q.event_id LEFT JOIN events ae ON ae.id = q.answer_event_id
LEFT JOIN members m ON m.id = q.member_id LEFT JOIN communities c ON c.id = q.community_id
LEFT JOIN members am ON am.id = q.answer_member_id
WHERE q.workspace_id = ? AND (? = 0 OR q.community_id = ?) AND q.ts >= ?
  AND (? = '' OR (? = 'open' AND q.answered_at = 0) OR (? = 'answered' AND q.answered_at > 0))
ORDER BY q.ts DESC, q.id DESC LIMIT ?

-- name: question-delays
SELECT q.answered_at - q.ts FROM questions q
WHERE q.workspace_id = ? AND (? = 0 OR q.community_id = ?) AND q.ts >= ? AND q.answered_at > 0
ORDER BY 1

-- name: count-questions
SELECT count(*) FROM questions q WHERE q.workspace_id = ? AND (? = 0 OR q.community_id = ?) AND q.ts >= ?

-- name: unanswered-questions
SELECT q.id, q.community_id, q.member_id, coalesce(m.display_name, ''), q.ts, substr(e.text, 1, 501), q.cue
FROM questions q JOIN events e ON e.id = q.event_id LEFT JOIN members m ON m.id = q.member_id
WHERE q.workspace_id = ? AND q.answered_at = 0 AND q.ts < ? AND q.ts >= ?
ORDER BY q.ts LIMIT 500

-- name: question-figures
SELECT q.community_id, q.answered_at FROM questions q
WHERE q.workspace_id = ? AND q.ts >= ?

-- name: question-delays-by-community
SELECT q.community_id, q.answered_at - q.ts FROM questions q
WHERE q.workspace_id = ? AND q.ts >= ? AND q.answered_at > 0
ORDER BY 1, 2

-- name: question-window
SELECT since_ms FROM question_windows WHERE workspace_id = ?

-- name: kept-question-figures
SELECT community_id, asked, answered, median_ms FROM question_figures WHERE workspace_id = ?

-- name: kept-question-figure
SELECT community_id, asked, answered, median_ms FROM question_figures WHERE workspace_id = ? AND community_id = ?

-- name: delete-question-figures
DELETE FROM question_figures WHERE workspace_id = ?

-- name: save-question-figures
INSERT INTO question_figures (workspace_id, community_id, asked, answered, median_ms) VALUES (?, ?, ?, ?, ?)

-- name: save-question-window
INSERT INTO question_windows (workspace_id, since_ms, computed_at) VALUES (?, ?, ?)
ON CONFLICT (workspace_id) DO UPDATE SET since_ms = excluded.since_ms, computed_at = excluded.computed_at

-- name: count-open-questions
-- unanswered questions asked between two times, counted up to a bound
SELECT count(*) FROM (SELECT 1 FROM questions q
WHERE q.workspace_id = ? AND q.ts >= ? AND q.ts <= ? AND q.answered_at = 0 LIMIT ?) s

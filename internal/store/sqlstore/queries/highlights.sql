-- name: find-message-targets
SELECT id, source_id, community_id, member_id, ts FROM events
WHERE workspace_id = ? AND platform = ? AND kind = 'message' AND source_id IN (?)

-- name: add-message-stats
INSERT INTO message_stats (workspace_id, event_id, community_id, member_id, ts, replies, reactions)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, event_id) DO UPDATE SET
    replies = message_stats.replies + excluded.replies,
    reactions = message_stats.reactions + excluded.reactions

-- name: delete-message-stats
DELETE FROM message_stats WHERE workspace_id = ?

-- name: rebuild-message-stats
INSERT INTO message_stats (workspace_id, event_id, community_id, member_id, ts, replies, reactions)
SELECT t.workspace_id, t.id, t.community_id, t.member_id, t.ts,
    sum(CASE WHEN e.kind = 'message' THEN 1 ELSE 0 END), sum(CASE WHEN e.kind = 'reaction' THEN 1 ELSE 0 END)
FROM events e
JOIN events t ON t.workspace_id = e.workspace_id AND t.platform = e.platform AND t.source_id = e.reply_to AND t.kind = 'message'
WHERE e.workspace_id = ? AND e.reply_to <> '' AND e.kind IN ('message', 'reaction') AND e.member_id <> t.member_id AND e.id <= ?
GROUP BY t.workspace_id, t.id, t.community_id, t.member_id, t.ts

-- name: top-replied
SELECT s.event_id, s.community_id, coalesce(c.name, ''), s.member_id, coalesce(m.display_name, ''), e.text, s.ts, s.replies, s.reactions
FROM message_stats s
JOIN events e ON e.id = s.event_id
LEFT JOIN communities c ON c.id = s.community_id
LEFT JOIN members m ON m.id = s.member_id
WHERE s.workspace_id = ? AND s.ts >= ? AND s.ts < ? AND (? = 0 OR s.community_id = ?) AND s.replies > 0
  AND NOT EXISTS (SELECT 1 FROM moderation_cases k WHERE k.workspace_id = s.workspace_id AND k.member_id = s.member_id AND k.event_id = s.event_id)
ORDER BY s.replies DESC, s.reactions DESC, s.event_id
LIMIT ?

-- name: top-reacted
SELECT s.event_id, s.community_id, coalesce(c.name, ''), s.member_id, coalesce(m.display_name, ''), e.text, s.ts, s.replies, s.reactions
FROM message_stats s
JOIN events e ON e.id = s.event_id
LEFT JOIN communities c ON c.id = s.community_id
LEFT JOIN members m ON m.id = s.member_id
WHERE s.workspace_id = ? AND s.ts >= ? AND s.ts < ? AND (? = 0 OR s.community_id = ?) AND s.reactions > 0
  AND NOT EXISTS (SELECT 1 FROM moderation_cases k WHERE k.workspace_id = s.workspace_id AND k.member_id = s.member_id AND k.event_id = s.event_id)
ORDER BY s.reactions DESC, s.replies DESC, s.event_id
LIMIT ?

-- name: message-stats-in
SELECT event_id, replies, reactions FROM message_stats WHERE workspace_id = ? AND event_id IN (?)

-- name: find-figure
SELECT version, computed_at, read_at, took_ms, body FROM analytics_figures WHERE workspace_id = ? AND request = ?

-- name: save-figure
INSERT INTO analytics_figures (workspace_id, request, version, computed_at, read_at, took_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, request) DO UPDATE SET
    version = excluded.version, computed_at = excluded.computed_at, read_at = excluded.read_at,
    took_ms = excluded.took_ms, body = excluded.body

-- name: touch-figure
UPDATE analytics_figures SET read_at = ? WHERE workspace_id = ? AND request = ?

-- name: read-figures
SELECT request, version, computed_at, read_at, took_ms FROM analytics_figures WHERE workspace_id = ? AND read_at >= ?

-- name: forget-figures
DELETE FROM analytics_figures WHERE workspace_id = ?

-- name: prune-figures
DELETE FROM analytics_figures WHERE workspace_id = ? AND read_at < ? AND computed_at < ?

-- name: figures-version
-- SQLite: one writer, ids taken in commit order; the latest ids name the data
SELECT (SELECT coalesce(max(id), 0) FROM events), 0, (SELECT coalesce(max(id), 0) FROM moderation_cases), 0

-- name: figures-version-postgres
-- PostgreSQL: a batch that took lower ids may commit after a later one, so
-- also how many rows hold the last 40,000 (1,000) ids (eight batches)
WITH e AS (SELECT coalesce(max(id), 0) AS top FROM events), c AS (SELECT coalesce(max(id), 0) AS top FROM moderation_cases)
SELECT e.top, (SELECT count(*) FROM events WHERE id > e.top - 40000), c.top, (SELECT count(*) FROM moderation_cases WHERE id > c.top - 1000) FROM e, c

-- name: join-sources
SELECT join_source, count(*) FROM memberships WHERE workspace_id = ? AND join_source <> '' GROUP BY join_source ORDER BY count(*) DESC, join_source LIMIT 100

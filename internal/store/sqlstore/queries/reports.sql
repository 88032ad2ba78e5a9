-- name: report-settings
SELECT community_id, lang FROM report_settings WHERE workspace_id = ?

-- name: save-report-settings
INSERT INTO report_settings (workspace_id, community_id, lang) VALUES (?, ?, ?)
ON CONFLICT (workspace_id) DO UPDATE SET community_id = excluded.community_id, lang = excluded.lang

-- name: add-weekly-report
INSERT INTO weekly_reports (workspace_id, week, made_at, body) VALUES (?, ?, ?, ?)
ON CONFLICT (workspace_id, week) DO NOTHING

-- name: weekly-report
SELECT body FROM weekly_reports WHERE workspace_id = ? AND week = ?

-- name: weekly-report-weeks
SELECT week FROM weekly_reports WHERE workspace_id = ? ORDER BY week DESC LIMIT ?

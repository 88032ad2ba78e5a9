-- name: insert-live-code
INSERT INTO live_codes (workspace_id, slug, name, fallback, alert_seats, created_at, mode, state, connector_id, join_way) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: update-live-code
UPDATE live_codes SET slug = ?, name = ?, fallback = ?, alert_seats = ?, state = ?, connector_id = ?, join_way = ? WHERE workspace_id = ? AND id = ?

-- name: delete-live-code
DELETE FROM live_codes WHERE workspace_id = ? AND id = ?

-- name: delete-live-code-targets
DELETE FROM live_targets WHERE workspace_id = ? AND live_code_id = ?

-- name: find-live-codes
SELECT id, workspace_id, slug, name, fallback, alert_seats, created_at, mode, state, connector_id, join_way, sync_error, qr_type <> '' FROM live_codes WHERE workspace_id = ? ORDER BY id

-- name: find-live-code
SELECT id, workspace_id, slug, name, fallback, alert_seats, created_at, mode, state, connector_id, join_way, sync_error, qr_type <> '' FROM live_codes WHERE workspace_id = ? AND id = ?

-- name: find-live-code-by-slug
SELECT id, workspace_id, slug, name, fallback, alert_seats, created_at, mode, state, connector_id, join_way, sync_error, qr_type <> '' FROM live_codes WHERE workspace_id = ? AND slug = ?

-- name: find-live-targets
-- every live code's (0) or one's; fill: the group's active members when
-- the target names one, else scans
SELECT t.id, t.live_code_id, coalesce(t.community_id, 0), t.label, t.cap, t.held, t.position, t.expires_at, t.scans,
    CASE WHEN t.community_id IS NULL THEN t.scans
         ELSE (SELECT count(*) FROM memberships m WHERE m.workspace_id = t.workspace_id AND m.community_id = t.community_id AND m.status = 'active') END,
    t.qr_text, t.image_type, t.created_at
FROM live_targets t WHERE t.workspace_id = ? AND (? = 0 OR t.live_code_id = ?) ORDER BY t.live_code_id, t.position, t.id

-- name: insert-live-target
INSERT INTO live_targets (workspace_id, live_code_id, community_id, label, cap, held, position, expires_at, qr_text, image_type, image, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: delete-live-target
DELETE FROM live_targets WHERE workspace_id = ? AND live_code_id = ? AND id = ?

-- name: live-code-id
SELECT id FROM live_codes WHERE workspace_id = ? AND slug = ?

-- name: live-target-image
SELECT image_type, image FROM live_targets WHERE workspace_id = ? AND live_code_id = ? AND id = ?

-- name: count-live-scan
UPDATE live_targets SET scans = scans + 1 WHERE workspace_id = ? AND id = ?

-- name: save-join-way
-- what a sync learnt: WeCom's answer and the error (a failed sync keeps
-- the QR picture it had)
UPDATE live_codes SET join_way = ?, sync_error = ? WHERE workspace_id = ? AND id = ?

-- name: save-join-way-qr
UPDATE live_codes SET qr_type = ?, qr_image = ? WHERE workspace_id = ? AND id = ?

-- name: live-code-qr
SELECT qr_type, coalesce(qr_image, '') FROM live_codes WHERE workspace_id = ? AND id = ? AND qr_type <> ''

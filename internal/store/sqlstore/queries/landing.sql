-- name: insert-landing-page
INSERT INTO landing_pages (workspace_id, slug, title, lang, state, published, blocks, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: update-landing-page
UPDATE landing_pages SET slug = ?, title = ?, lang = ?, state = ?, published = ?, blocks = ?, updated_at = ? WHERE workspace_id = ? AND id = ?

-- name: delete-landing-page
DELETE FROM landing_pages WHERE workspace_id = ? AND id = ?

-- name: find-landing-pages
SELECT id, workspace_id, slug, title, lang, state, published, blocks, created_at, updated_at FROM landing_pages WHERE workspace_id = ? ORDER BY id

-- name: find-landing-page
SELECT id, workspace_id, slug, title, lang, state, published, blocks, created_at, updated_at FROM landing_pages WHERE workspace_id = ? AND id = ?

-- name: find-landing-page-by-slug
SELECT id, workspace_id, slug, title, lang, state, published, blocks, created_at, updated_at FROM landing_pages WHERE workspace_id = ? AND slug = ?

-- name: insert-lead
-- a phone already left on this page is not stored again: its repeats go up
INSERT INTO leads (workspace_id, page_id, name, phone, city, note, source, status, consent_text, consent_version, consent_at, ip, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, page_id, phone) WHERE phone <> '' DO UPDATE SET repeats = leads.repeats + 1, updated_at = excluded.updated_at
RETURNING id, repeats, created_at

-- name: find-leads
-- a page's (0: every page's) leads of a status ('' any), newest first
SELECT id, workspace_id, page_id, name, phone, city, note, source, status, repeats, consent_text, consent_version, consent_at, ip, created_at, updated_at
FROM leads WHERE workspace_id = ? AND (? = 0 OR page_id = ?) AND (? = '' OR status = ?) ORDER BY id DESC LIMIT ? OFFSET ?

-- name: find-lead
SELECT id, workspace_id, page_id, name, phone, city, note, source, status, repeats, consent_text, consent_version, consent_at, ip, created_at, updated_at
FROM leads WHERE workspace_id = ? AND id = ?

-- name: set-lead-status
UPDATE leads SET status = ?, updated_at = ? WHERE workspace_id = ? AND id = ?

-- name: delete-lead
DELETE FROM leads WHERE workspace_id = ? AND id = ?

-- name: delete-page-leads
DELETE FROM leads WHERE workspace_id = ? AND page_id = ?

-- name: count-growth
INSERT INTO growth_counts (workspace_id, kind, ref_id, day, source, views, shown) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, kind, ref_id, day, source) DO UPDATE SET views = growth_counts.views + excluded.views, shown = growth_counts.shown + excluded.shown

-- name: growth-counts
-- views and QR showings per page or code and source over [from, to] days
SELECT kind, ref_id, source, CAST(sum(views) AS BIGINT), CAST(sum(shown) AS BIGINT) FROM growth_counts WHERE workspace_id = ? AND day >= ? AND day <= ? GROUP BY kind, ref_id, source

-- name: lead-counts
SELECT page_id, source, count(*) FROM leads WHERE workspace_id = ? AND created_at >= ? GROUP BY page_id, source

-- name: insert-page-image
-- the same picture twice on a page is kept once
INSERT INTO page_images (workspace_id, page_id, sha256, image_type, image, created_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, page_id, sha256) DO UPDATE SET image_type = excluded.image_type RETURNING id

-- name: page-image
SELECT image_type, image FROM page_images WHERE workspace_id = ? AND page_id = ? AND id = ?

-- name: page-image-ids
SELECT id FROM page_images WHERE workspace_id = ? AND page_id = ?

-- name: delete-page-image
DELETE FROM page_images WHERE workspace_id = ? AND page_id = ? AND id = ?

-- name: delete-page-images
DELETE FROM page_images WHERE workspace_id = ? AND page_id = ?

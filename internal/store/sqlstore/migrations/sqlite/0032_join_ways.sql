-- Live codes in WeCom join-way mode (加入群聊): the connector, the join
-- way's settings and WeCom's answer (JSON), the last sync error and the
-- join way's QR picture; every live code's channel code (state).
ALTER TABLE live_codes ADD COLUMN mode TEXT NOT NULL DEFAULT 'pool';
ALTER TABLE live_codes ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE live_codes ADD COLUMN connector_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE live_codes ADD COLUMN join_way TEXT NOT NULL DEFAULT '';
ALTER TABLE live_codes ADD COLUMN sync_error TEXT NOT NULL DEFAULT '';
ALTER TABLE live_codes ADD COLUMN qr_type TEXT NOT NULL DEFAULT '';
ALTER TABLE live_codes ADD COLUMN qr_image BLOB;

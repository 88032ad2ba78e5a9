-- When the activity that earned an entry happened (ms), beside created_at
-- (when it was booked); NULL for entries an operator booked by hand.
ALTER TABLE points_entries ADD COLUMN occurred_at INTEGER;

-- Leaderboards rank week (W…) and month (M…) totals only; the daily (D…)
-- totals exist for the daily cap and need no rank index, which every
-- earning would otherwise update five times instead of four.
DROP INDEX points_periods_rank;
CREATE INDEX points_periods_rank ON points_periods (workspace_id, period, community_id, points DESC, member_id) WHERE period > 'E';

-- One group's analytics read its members' days from this index instead of
-- every group's days in the period. A known member-day's counters change
-- in place, which does not touch it: it costs one entry per new member-day.
CREATE INDEX member_days_community ON member_days (workspace_id, community_id, day);

-- Statements of the ingestion pipeline. INSERTs with one VALUES tuple are
-- expanded to many rows by the store.

-- name: upsert-community
INSERT INTO communities (workspace_id, platform, external_id, name, created_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, platform, external_id) DO UPDATE
SET name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE communities.name END
RETURNING id, name

-- name: find-identities-in
SELECT external_id, member_id, display_name FROM identities
WHERE workspace_id = ? AND platform = ? AND external_id IN (?)

-- name: insert-members
INSERT INTO members (workspace_id, display_name, origin, created_at) VALUES (?, ?, ?, ?) RETURNING id, origin

-- name: max-member-id
SELECT coalesce(max(id), 0) FROM members

-- name: insert-members-numbered
INSERT INTO members (id, workspace_id, display_name, origin, created_at) VALUES (?, ?, ?, ?, ?)

-- name: insert-identities
INSERT INTO identities (workspace_id, member_id, platform, external_id, display_name, created_at)
VALUES (?, ?, ?, ?, ?, ?)

-- name: rename-identity
UPDATE identities SET display_name = ? WHERE workspace_id = ? AND platform = ? AND external_id = ?

-- name: rename-member
UPDATE members SET display_name = ? WHERE workspace_id = ? AND id = ?

-- name: insert-events
INSERT INTO events (workspace_id, platform, source_id, community_id, member_id, kind, ts, text, reply_to, target_id, inviter_id, attachments)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, platform, source_id) DO NOTHING
RETURNING id, platform, source_id

-- name: ensure-memberships
INSERT INTO memberships (workspace_id, community_id, member_id, role, status, join_source, status_at)
VALUES (?, ?, ?, 'member', 'active', 'unknown', 0)
ON CONFLICT (workspace_id, community_id, member_id) DO NOTHING
RETURNING community_id

-- name: change-membership
-- The latest join or leave (by time) sets the status; a join older than
-- that still counts as the join time when it is the latest join seen, so
-- that history arriving out of order leaves the same row as in order.
INSERT INTO memberships (workspace_id, community_id, member_id, role, status, joined_at, left_at, invited_by, join_source, status_at, event_ids)
VALUES (?, ?, ?, 'member', ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, community_id, member_id) DO UPDATE SET
    status = CASE WHEN memberships.status_at <= excluded.status_at THEN excluded.status ELSE memberships.status END,
    event_ids = CASE WHEN memberships.event_ids = '' THEN excluded.event_ids ELSE memberships.event_ids || ' ' || excluded.event_ids END,
    joined_at = CASE WHEN excluded.status = 'active' AND (memberships.joined_at IS NULL OR excluded.joined_at > memberships.joined_at) THEN excluded.joined_at ELSE memberships.joined_at END,
    left_at = CASE WHEN memberships.status_at > excluded.status_at THEN memberships.left_at WHEN excluded.status = 'active' THEN NULL ELSE excluded.left_at END,
    invited_by = CASE WHEN memberships.status_at <= excluded.status_at AND excluded.status = 'active' AND excluded.invited_by IS NOT NULL THEN excluded.invited_by ELSE memberships.invited_by END,
    join_source = CASE WHEN memberships.status_at <= excluded.status_at AND excluded.status = 'active' THEN excluded.join_source ELSE memberships.join_source END,
    status_at = CASE WHEN memberships.status_at <= excluded.status_at THEN excluded.status_at ELSE memberships.status_at END
WHERE memberships.status_at <= excluded.status_at
   OR (excluded.status = 'active' AND (memberships.joined_at IS NULL OR excluded.joined_at > memberships.joined_at))
RETURNING community_id, member_id, status

-- name: add-member-days
INSERT INTO member_days (workspace_id, community_id, day, member_id, messages, reactions, event_ids, points, replies, chars, questions, answers)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, day, member_id, community_id) DO UPDATE SET
    messages = member_days.messages + excluded.messages,
    reactions = member_days.reactions + excluded.reactions,
    points = member_days.points + excluded.points,
    replies = member_days.replies + excluded.replies,
    chars = member_days.chars + excluded.chars,
    questions = member_days.questions + excluded.questions,
    answers = member_days.answers + excluded.answers,
    event_ids = member_days.event_ids || ' ' || excluded.event_ids
RETURNING community_id, day, member_id, messages + reactions

-- name: add-member-days-known
INSERT INTO member_days (workspace_id, community_id, day, member_id, messages, reactions, event_ids, points, replies, chars, questions, answers)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, day, member_id, community_id) DO UPDATE SET
    messages = member_days.messages + excluded.messages,
    reactions = member_days.reactions + excluded.reactions,
    points = member_days.points + excluded.points,
    replies = member_days.replies + excluded.replies,
    chars = member_days.chars + excluded.chars,
    questions = member_days.questions + excluded.questions,
    answers = member_days.answers + excluded.answers,
    event_ids = member_days.event_ids || ' ' || excluded.event_ids

-- name: add-community-days
INSERT INTO community_days (workspace_id, community_id, day, messages, reactions, active_members, joins, leaves, last_ts, first_id, last_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, day, community_id) DO UPDATE SET
    messages = community_days.messages + excluded.messages,
    reactions = community_days.reactions + excluded.reactions,
    active_members = community_days.active_members + excluded.active_members,
    joins = community_days.joins + excluded.joins,
    leaves = community_days.leaves + excluded.leaves,
    last_ts = CASE WHEN excluded.last_ts > community_days.last_ts THEN excluded.last_ts ELSE community_days.last_ts END,
    first_id = CASE WHEN excluded.first_id < community_days.first_id THEN excluded.first_id ELSE community_days.first_id END,
    last_id = CASE WHEN excluded.last_id > community_days.last_id THEN excluded.last_id ELSE community_days.last_id END

-- name: max-event-id
SELECT coalesce(max(id), 0) FROM events

-- name: insert-events-numbered
INSERT INTO events (id, workspace_id, platform, source_id, community_id, member_id, kind, ts, text, reply_to, target_id, inviter_id, attachments)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, platform, source_id) DO NOTHING

-- name: present-events-in
SELECT id FROM events WHERE id IN (?)

-- name: add-workspace-totals
INSERT INTO workspace_totals (workspace_id, events, messages) VALUES (?, ?, ?)
ON CONFLICT (workspace_id) DO UPDATE SET events = workspace_totals.events + excluded.events,
    messages = workspace_totals.messages + excluded.messages

-- name: add-workspace-members
INSERT INTO workspace_totals (workspace_id, events, messages, members) VALUES (?, 0, 0, ?)
ON CONFLICT (workspace_id) DO UPDATE SET members = workspace_totals.members + excluded.members

-- name: membership-statuses-in
SELECT community_id, member_id, status FROM memberships WHERE workspace_id = ? AND member_id IN (?)

-- name: add-community-members
INSERT INTO community_members (workspace_id, community_id, active) VALUES (?, ?, ?)
ON CONFLICT (workspace_id, community_id) DO UPDATE SET active = community_members.active + excluded.active

-- Bots, as their platform says, are staff.
-- name: mark-staff
UPDATE members SET staff = 1 WHERE workspace_id = ? AND staff = 0 AND id IN (?)

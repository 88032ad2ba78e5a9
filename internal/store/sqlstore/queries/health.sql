-- name: find-lifecycles
SELECT community_id, stage, since, pending, pending_since FROM group_lifecycles WHERE workspace_id = ?

-- name: save-lifecycle
INSERT INTO group_lifecycles (workspace_id, community_id, stage, since, pending, pending_since) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, community_id) DO UPDATE SET
    stage = excluded.stage, since = excluded.since, pending = excluded.pending, pending_since = excluded.pending_since

-- name: find-health-weights
SELECT weights FROM health_weights WHERE workspace_id = ?

-- name: save-health-weights
INSERT INTO health_weights (workspace_id, weights) VALUES (?, ?)
ON CONFLICT (workspace_id) DO UPDATE SET weights = excluded.weights

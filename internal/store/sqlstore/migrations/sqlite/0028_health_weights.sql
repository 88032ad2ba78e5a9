-- A workspace's own weights of the health components (JSON: component →
-- weight); none kept means the documented defaults.
CREATE TABLE health_weights (
    workspace_id INTEGER PRIMARY KEY,
    weights TEXT NOT NULL
);

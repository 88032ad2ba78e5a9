-- Each group's active members, kept by the batches that change
-- memberships (in their transaction): the groups list, the overview and
-- every group picker read it instead of counting a workspace's memberships
-- (100 ms a page at 700,000 memberships).
CREATE TABLE community_members (
    workspace_id INTEGER NOT NULL,
    community_id INTEGER NOT NULL,
    active INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, community_id)
);
INSERT INTO community_members (workspace_id, community_id, active)
SELECT workspace_id, community_id, count(*) FROM memberships WHERE status = 'active' GROUP BY workspace_id, community_id;

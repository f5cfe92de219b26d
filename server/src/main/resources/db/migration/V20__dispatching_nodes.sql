-- Nodes that dispatch, with their last heartbeat: each takes 1/N of the deployment-wide limits (provider rates,
-- trunk channels) for the N seen recently. Rows of nodes long gone are deleted by the beating nodes.
CREATE TABLE dispatching_nodes (
    node    VARCHAR(64) NOT NULL PRIMARY KEY,
    seen_at DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

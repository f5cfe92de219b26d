-- Leases of the periodic jobs that run on one node at a time (issue 8): the reapers, the capacity forecast, the
-- settling of unreported calls. Before each run a node takes or renews its job's row until now + a few periods;
-- the row of a node that stopped renewing (paused, killed) is taken over once held_until has passed, and a node
-- that stops gracefully deletes its rows so another takes over at once.
CREATE TABLE job_leases (
    job         VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    holder      VARCHAR(64) NOT NULL,
    acquired_at DATETIME(3) NOT NULL,
    held_until  DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

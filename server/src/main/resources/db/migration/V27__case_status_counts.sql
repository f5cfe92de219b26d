-- Cases by status as last counted. Counting the whole cases table takes a full pass over its status index (about
-- 150 ms at a million cases), and every node used to do it at every scrape of /metrics. Now one node counts every
-- 15 s (job count-cases, under a job lease) and keeps the result here; every node's /metrics reads these few rows.
-- One row per status, all written together; counted_at is when that count began (cases_counted_age_seconds).
CREATE TABLE case_status_counts (
    status     VARCHAR(20) NOT NULL PRIMARY KEY,
    cases      BIGINT      NOT NULL,
    counted_at DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The door-knock gauges count the open and assigned tasks at every scrape; without an index led by status that read
-- every task ever created (17 ms at 100,000 tasks), with it only the open ones (a few thousand at most).
CREATE INDEX ix_door_knock_status_due ON door_knock_tasks (status, due_at);

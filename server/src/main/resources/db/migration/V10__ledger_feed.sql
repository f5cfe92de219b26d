-- The outbound ledger feed (issue 7). ledger_events itself is the outbox: intake writes no extra row per event.
-- A scanner per destination walks ledger_events in seq order from a watermark and marks, per case, the highest
-- seq it has seen; a delivery job claims cases with something to send and sends their events in seq order.

-- How far the scanner of one destination has read. Every seq <= scanned_seq is final: committed, or proven never
-- to commit (a gap in seq is passed only after a grace period and a locking probe finds no open insert in it).
-- gap_since: when the scanner first stopped at the gap just above scanned_seq (NULL: no gap waiting); gap_top: the
-- highest seq it had read then. One probe after the grace settles every gap up to gap_top.
CREATE TABLE ledger_feed_watermarks (
    destination VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    scanned_seq BIGINT      NOT NULL,
    gap_since   DATETIME(3) NULL,
    gap_top     BIGINT      NOT NULL DEFAULT 0
) ENGINE = InnoDB;

-- One row per destination and case: the delivery cursor. Events with delivered_seq < seq <= pending_seq wait to
-- be sent, oldest first; while one is retried or parked (FAILED) the later ones of that case wait behind it.
-- status: PENDING (something to send from next_attempt_at on), IDLE (all sent), FAILED (parked; an operator
-- retries it). A claim moves next_attempt_at past the lease and sets claim_token; only that claim may settle it.
CREATE TABLE ledger_feed_cursors (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    destination     VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    case_id         CHAR(26)     NOT NULL,
    delivered_seq   BIGINT       NOT NULL DEFAULT 0,
    pending_seq     BIGINT       NOT NULL,
    status          VARCHAR(8)   NOT NULL,
    next_attempt_at DATETIME(3)  NOT NULL,
    attempts        INT          NOT NULL DEFAULT 0,
    first_failed_at DATETIME(3)  NULL,
    last_error      VARCHAR(300) NULL,
    last_status     INT          NULL,
    claim_token     CHAR(22)     CHARACTER SET ascii COLLATE ascii_bin NULL,
    UNIQUE KEY uk_ledger_feed_cursor (destination, case_id),
    KEY ix_ledger_feed_due (status, next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

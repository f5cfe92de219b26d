-- Numbers that answered STOP / 退订 / TD / T; START / 订阅 deletes the row. One row per E.164 number holding the
-- current wish: a repeated opt-out refreshes the time and source.
CREATE TABLE sms_opt_outs (
    phone        VARCHAR(20) NOT NULL PRIMARY KEY,
    opted_out_at DATETIME(3) NOT NULL,
    source       VARCHAR(32) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The latest provider status of each SMS attempt. Status callbacks arrive late, twice and out of order, so a
-- row only moves forward (compare-and-set on status); the attempt's outcome itself lives in attempts.
CREATE TABLE sms_status (
    attempt_id  BIGINT      NOT NULL PRIMARY KEY,
    message_sid VARCHAR(64) NULL,
    status      VARCHAR(24) NOT NULL,
    error_code  VARCHAR(16) NULL,
    updated_at  DATETIME(3) NOT NULL,
    KEY ix_sms_status_sid (message_sid)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

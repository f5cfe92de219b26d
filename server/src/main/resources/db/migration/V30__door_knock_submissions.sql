-- Each door-knock result form the console shows carries a one-time key; a key already used is a double tap or a
-- re-sent form, not a second visit, and records nothing more.
CREATE TABLE door_knock_submissions (
    submission  VARCHAR(64) NOT NULL PRIMARY KEY,
    task_id     BIGINT      NOT NULL,
    recorded_at DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

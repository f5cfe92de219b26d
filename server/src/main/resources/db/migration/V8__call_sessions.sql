-- The IVR session of each answered call between two provider requests (a Twilio webhook each): the engine's
-- state as JSON, how many events the call has had, and the last reply, returned again when Twilio repeats a
-- request. The answers themselves are ledger events (IVR_ANSWER), written with the row.
CREATE TABLE call_sessions (
    attempt_id BIGINT      NOT NULL PRIMARY KEY,
    events     INT         NOT NULL,
    session    TEXT        NOT NULL,
    reply      MEDIUMTEXT  NOT NULL,
    updated_at DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- When the provider took a call (SENT): a call whose final status never came is settled from here, so no case
-- waits on a lost status callback until its door knock.
ALTER TABLE attempts ADD COLUMN sent_at DATETIME(3) NULL;
CREATE INDEX ix_attempts_sent ON attempts (status, kind, sent_at);

-- Cases pushed for screening. Times are UTC. open_key (phone|jurisdiction) is set only while the case is open,
-- so the unique index stops a second open case for the same person in the same community.
CREATE TABLE cases (
    id           CHAR(26)     NOT NULL PRIMARY KEY,
    source       VARCHAR(64)  NOT NULL,
    external_id  VARCHAR(128) NOT NULL,
    name         VARCHAR(100) NOT NULL,
    phone        VARCHAR(20)  NOT NULL,
    sms_capable  BOOLEAN      NOT NULL,
    id_number    VARCHAR(18)  NULL,
    category     VARCHAR(20)  NOT NULL,
    jurisdiction CHAR(12)     NOT NULL,
    pushed_at    DATETIME(3)  NULL,
    received_at  DATETIME(3)  NOT NULL,
    deadline_at  DATETIME(3)  NOT NULL,
    status       VARCHAR(20)  NOT NULL,
    open_key     VARCHAR(40)  NULL,
    UNIQUE KEY uk_cases_open_key (open_key),
    KEY ix_cases_jurisdiction (jurisdiction, id),
    KEY ix_cases_status_deadline (status, deadline_at),
    KEY ix_cases_deadline (deadline_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Every (source, external id) ever received and the case it landed in: re-sending is a duplicate, a push of the
-- same open person by another source is merged into the existing case.
CREATE TABLE case_sources (
    source      VARCHAR(64)  NOT NULL,
    external_id VARCHAR(128) NOT NULL,
    case_id     CHAR(26)     NOT NULL,
    received_at DATETIME(3)  NOT NULL,
    PRIMARY KEY (source, external_id),
    KEY ix_case_sources_case (case_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The append-only ledger (台账): nothing about a case changes without a line here.
CREATE TABLE ledger_events (
    seq     BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id CHAR(26)     NOT NULL,
    type    VARCHAR(40)  NOT NULL,
    at      DATETIME(3)  NOT NULL,
    actor   VARCHAR(100) NOT NULL,
    data    TEXT         NOT NULL,
    KEY ix_ledger_events_case (case_id, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- API keys, stored as SHA-256 of the token (tokens are 256-bit random, so a fast hash is enough).
CREATE TABLE api_tokens (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name                VARCHAR(100) NOT NULL,
    token_hash          CHAR(64)     NOT NULL,
    role                VARCHAR(20)  NOT NULL,
    jurisdiction_prefix VARCHAR(12)  NOT NULL,
    admin               BOOLEAN      NOT NULL,
    created_at          DATETIME(3)  NOT NULL,
    UNIQUE KEY uk_api_tokens_hash (token_hash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- When an unreached case is handed to a door knock; set when the case is planned.
ALTER TABLE cases ADD COLUMN escalate_at DATETIME(3) NULL;
CREATE INDEX ix_cases_escalate ON cases (status, escalate_at);

-- The attempt queue: planned SMS and calls, claimed earliest-deadline-first with FOR UPDATE SKIP LOCKED and a
-- lease; a reaper returns attempts whose lease ran out (a node died). Outcomes apply once (status moves forward).
CREATE TABLE attempts (
    id           BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id      CHAR(26)    NOT NULL,
    kind         VARCHAR(8)  NOT NULL,
    seq          INT         NOT NULL,
    due_at       DATETIME(3) NOT NULL,
    deadline_at  DATETIME(3) NOT NULL,
    status       VARCHAR(12) NOT NULL,
    lease_owner  VARCHAR(64) NULL,
    lease_until  DATETIME(3) NULL,
    claims       INT         NOT NULL DEFAULT 0,
    outcome      VARCHAR(16) NULL,
    finished_at  DATETIME(3) NULL,
    UNIQUE KEY uk_attempts_case_kind_seq (case_id, kind, seq),
    KEY ix_attempts_due (status, kind, due_at, deadline_at),
    KEY ix_attempts_edf (status, kind, deadline_at, due_at),
    KEY ix_attempts_lease (status, lease_until)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Door-knock tasks (敲门行动) for community staff.
CREATE TABLE door_knock_tasks (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_id      CHAR(26)     NOT NULL,
    jurisdiction CHAR(12)     NOT NULL,
    created_at   DATETIME(3)  NOT NULL,
    due_at       DATETIME(3)  NOT NULL,
    status       VARCHAR(12)  NOT NULL,
    reason       VARCHAR(32)  NOT NULL,
    assignee     VARCHAR(100) NULL,
    KEY ix_door_knock_jurisdiction (jurisdiction, status, due_at),
    KEY ix_door_knock_case (case_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

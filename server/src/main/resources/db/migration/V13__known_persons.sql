-- People this deployment already knows to have reported themselves or to be under control (issue 7 item 4; Sichuan
-- §7: regional-assist pushes are compared with earlier self-reports, people already under control are not pushed
-- to the community again). Intake matches every new case against them (domain ControlMatch: same ID number, or
-- same phone and name, known within OUTREACH_DEDUP_DAYS) and closes a match at once with a pointer here.
--   CONTROL_LIST    a row of an "already under control" list (category 已纳入管控): source + external_id name it
--                   (unique, so re-sending the list changes nothing); no case.
--   ARRIVAL, SELF_REPORT, CONTROL_MEASURE   made known by a case (case_id): an arrival that reported itself, a
--                   self-report through the link, a control measure on the results endpoint; one row per case and
--                   kind, known_at moved forward when it happens again.
-- Intake looks people up per batch with IN lists on id_number and on phone, each bounded by known_at.
CREATE TABLE known_persons (
    id           CHAR(26)     NOT NULL PRIMARY KEY,
    kind         VARCHAR(16)  NOT NULL,
    case_id      CHAR(26)     NULL,
    source       VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    external_id  VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    name         VARCHAR(100) NOT NULL,
    phone        VARCHAR(20)  NOT NULL,
    id_number    VARCHAR(18)  NULL,
    jurisdiction CHAR(12)     NOT NULL,
    known_at     DATETIME(3)  NOT NULL,
    UNIQUE KEY uk_known_persons_list_row (source, external_id),
    UNIQUE KEY uk_known_persons_case (case_id, kind),
    KEY ix_known_persons_id_number (id_number, known_at),
    KEY ix_known_persons_phone (phone, known_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

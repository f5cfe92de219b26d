-- Cases handed to the jurisdiction they belong to (issue 7 item 3; Sichuan notice §3: pushed there within 1 hour,
-- receipt confirmed). One table for both sides of a transfer:
--   OUT: we hand case_id over to the peer configured for peer_prefix. SENDING until the peer took the request
--        (DELIVERED), then ACKNOWLEDGED when its ack arrives; REFUSED (the peer answered 4xx) and NO_PEER (no
--        endpoint configured for the jurisdiction) are escalated at once. Not acknowledged by escalate_at →
--        escalated_at is set and the county task force list shows it.
--   IN:  a peer handed a person to us; case_id is the case we opened for them. ACK_PENDING until our ack was
--        taken by the sender (ACK_SENT), ACK_FAILED when the sender refused it.
-- next_try_at: when the delivery job may (re)send; a claim moves it past the lease, claim_token names the claim.
CREATE TABLE transfers (
    direction      CHAR(3)      CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id             CHAR(26)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    case_id        CHAR(26)     NOT NULL,
    peer_prefix    VARCHAR(12)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    to_jurisdiction CHAR(12)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    reason         VARCHAR(500) NOT NULL,
    status         VARCHAR(12)  NOT NULL,
    created_at     DATETIME(3)  NOT NULL,
    ack_by         DATETIME(3)  NOT NULL,
    escalate_at    DATETIME(3)  NOT NULL,
    acked_at       DATETIME(3)  NULL,
    escalated_at   DATETIME(3)  NULL,
    next_try_at    DATETIME(3)  NULL,
    attempts       INT          NOT NULL DEFAULT 0,
    last_error     VARCHAR(300) NULL,
    peer_case_id   VARCHAR(64)  NULL,
    claim_token    CHAR(22)     CHARACTER SET ascii COLLATE ascii_bin NULL,
    PRIMARY KEY (direction, id),
    KEY ix_transfers_due (status, next_try_at),
    KEY ix_transfers_unacked (direction, acked_at, escalated_at, escalate_at),
    KEY ix_transfers_case (case_id),
    KEY ix_transfers_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

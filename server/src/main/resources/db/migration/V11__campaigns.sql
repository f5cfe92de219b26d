-- Bulk SMS campaigns of a province/city centre (issue 4 item 5). One row per campaign: the text is rendered once
-- (every recipient gets the same words), the counts known at import are kept here, the rest are counted from the
-- recipients. active_ms + running_since give the time spent running (pauses excluded) for the rate and ETA.
CREATE TABLE campaigns (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name                VARCHAR(200) NOT NULL,
    template            VARCHAR(100) NOT NULL,
    lang                VARCHAR(10)  NOT NULL,
    variables           TEXT         NOT NULL,
    body                TEXT         NOT NULL,
    jurisdiction_prefix VARCHAR(12)  NOT NULL,
    created_by          VARCHAR(100) NOT NULL,
    created_at          DATETIME(3)  NOT NULL,
    start_at            DATETIME(3)  NOT NULL,
    quiet_hours         VARCHAR(11)  NULL,
    status              VARCHAR(16)  NOT NULL,
    total_rows          INT          NOT NULL DEFAULT 0,
    invalid_rows        INT          NOT NULL DEFAULT 0,
    duplicate_rows      INT          NOT NULL DEFAULT 0,
    active_ms           BIGINT       NOT NULL DEFAULT 0,
    running_since       DATETIME(3)  NULL,
    finished_at         DATETIME(3)  NULL,
    KEY ix_campaigns_status (status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One lean row per distinct number of a campaign (a million per campaign is normal). status is a small code
-- ordered so a provider callback only moves it forward (see campaigns.RecipientStatus): 0 pending, 1 sending
-- (claimed under lease_until), 2 queued at the provider, 3 sent, 10 delivered, 11 failed, 12 opted out,
-- 13 cancelled. The unique key sends a number once per campaign; the collation matches sms_opt_outs for the join.
CREATE TABLE campaign_recipients (
    id           BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id  BIGINT      NOT NULL,
    phone        VARCHAR(20) NOT NULL,
    status       TINYINT     NOT NULL,
    lease_until  DATETIME(3) NULL,
    provider_ref VARCHAR(64) NULL,
    error_code   VARCHAR(16) NULL,
    UNIQUE KEY uq_campaign_recipients_phone (campaign_id, phone),
    KEY ix_campaign_recipients_status (campaign_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Rows of the upload that held no valid mobile number, for GET /api/v1/campaigns/{id}/invalid (the first ones
-- only; the campaign row counts them all). value is the input with long digit runs masked.
CREATE TABLE campaign_invalid_rows (
    campaign_id BIGINT       NOT NULL,
    row_no      INT          NOT NULL,
    value       VARCHAR(40)  NOT NULL,
    problem     VARCHAR(120) NOT NULL,
    PRIMARY KEY (campaign_id, row_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

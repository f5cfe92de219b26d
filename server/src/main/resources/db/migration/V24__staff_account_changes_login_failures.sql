-- Who disabled, enabled or reset the password of a staff account, and when (the API tokens keep revoked_by on the
-- row; accounts change back and forth, so each change is a row). The actor is a ledger actor name, never a secret.
CREATE TABLE staff_account_changes (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT       NOT NULL,
    change_kind VARCHAR(20) NOT NULL,
    actor      VARCHAR(100) NOT NULL,
    changed_at DATETIME(3)  NOT NULL,
    KEY ix_staff_account_changes_account (account_id, changed_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Failed console logins, shared by every node so that N nodes behind a load balancer do not give a guesser N times
-- the tries. One row per failure and throttle key; the key is the SHA-256 of "u:<username>|<address>" or
-- "a:<address>", so the table names no one. Rows older than the window are deleted as logins happen.
CREATE TABLE login_failures (
    id        BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    key_hash  CHAR(64)    NOT NULL,
    failed_at DATETIME(3) NOT NULL,
    KEY ix_login_failures_key (key_hash, failed_at),
    KEY ix_login_failures_at (failed_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

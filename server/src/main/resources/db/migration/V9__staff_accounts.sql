-- Staff console accounts. Role and jurisdiction prefix mean what they mean for API tokens: the prefix limits
-- every page and action. The password is a bcrypt string (salt and cost inside), never the password itself.
-- The collation makes usernames unique regardless of case, so "Wang" cannot shadow "wang".
CREATE TABLE staff_accounts (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username            VARCHAR(64)  NOT NULL,
    password_hash       VARCHAR(100) NOT NULL,
    display_name        VARCHAR(100) NOT NULL,
    role                VARCHAR(20)  NOT NULL,
    jurisdiction_prefix VARCHAR(12)  NOT NULL,
    admin               BOOLEAN      NOT NULL,
    created_at          DATETIME(3)  NOT NULL,
    disabled            BOOLEAN      NOT NULL DEFAULT FALSE,
    UNIQUE KEY uk_staff_accounts_username (username),
    KEY ix_staff_accounts_prefix (jurisdiction_prefix)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Server-side console sessions. The cookie carries 256 random bits; only their SHA-256 is stored, so a copy of
-- this table opens no session. The CSRF token is per session and sent back in every form.
CREATE TABLE console_sessions (
    id_hash      CHAR(64)    NOT NULL PRIMARY KEY,
    account_id   BIGINT      NOT NULL,
    csrf_token   CHAR(43)    NOT NULL,
    created_at   DATETIME(3) NOT NULL,
    last_seen_at DATETIME(3) NOT NULL,
    expires_at   DATETIME(3) NOT NULL,
    KEY ix_console_sessions_account (account_id),
    KEY ix_console_sessions_expires (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

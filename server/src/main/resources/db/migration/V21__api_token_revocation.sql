-- API tokens can be revoked (a leaked or departed holder's token, an admin token rotated): the row stays for the
-- record, revoked_at stops it authenticating.
ALTER TABLE api_tokens
    ADD COLUMN revoked_at DATETIME(3)  NULL,
    ADD COLUMN revoked_by VARCHAR(100) NULL;

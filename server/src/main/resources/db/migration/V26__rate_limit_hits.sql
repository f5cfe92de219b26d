-- Requests counted against a rate limit (the self-report form: per link and per client address), in the database so
-- that every node behind the load balancer counts the same requests. Keys are SHA-256 hashes: the table names no
-- link token and no address. Rows older than an hour are removed as new ones come.
CREATE TABLE rate_limit_hits (
    id       BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    key_hash CHAR(64)    NOT NULL,
    hit_at   DATETIME(3) NOT NULL,
    KEY ix_rate_limit_hits_key (key_hash, hit_at),
    KEY ix_rate_limit_hits_at (hit_at)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

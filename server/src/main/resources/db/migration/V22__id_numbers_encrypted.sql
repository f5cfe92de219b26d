-- ID numbers at rest (issue 8 item 5): AES-256-GCM ciphertext in id_number_enc ("1:<key id>:<base64url>", the key
-- id naming the key that opens it), and in known_persons, where intake looks people up by ID number, a blind index
-- (HMAC-SHA256 under a separate key, 16 bytes) replacing the index on the plaintext. The plaintext columns stay for
-- now: the server's start-up step encrypts the rows a previous version wrote in plaintext and empties the column
-- (it needs the keys, which SQL does not have); nothing writes it any more.
ALTER TABLE cases
    ADD COLUMN id_number_enc VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER id_number;

ALTER TABLE known_persons
    ADD COLUMN id_number_enc VARCHAR(160) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER id_number,
    ADD COLUMN id_number_idx BINARY(16) NULL AFTER id_number_enc,
    ADD KEY ix_known_persons_id_number_idx (id_number_idx, known_at),
    DROP INDEX ix_known_persons_id_number;

-- The blind index key the rows were indexed with (its fingerprint): a node configured with another index key would
-- miss every match, so it refuses to start instead.
CREATE TABLE id_number_index_key (
    id     TINYINT  NOT NULL PRIMARY KEY,
    key_id CHAR(16) CHARACTER SET ascii NOT NULL
) ENGINE = InnoDB;

-- The self-report link key every node signs with (its fingerprint, never the key): a node with another key would
-- refuse the links the others sent ("链接无效"), so it refuses to start instead. Deleting the row lets the next node
-- to start record its key: a deliberate rotation, which invalidates every link already sent.
CREATE TABLE report_link_key (
    id     TINYINT  NOT NULL PRIMARY KEY,
    key_id CHAR(16) CHARACTER SET ascii NOT NULL
) ENGINE = InnoDB;

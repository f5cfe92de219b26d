-- External ids are the pushing system's opaque keys: "ab-1" and "AB-1" are two people. The default collation
-- compared them case-insensitively, so such a pair in one file failed the whole batch.
ALTER TABLE case_sources
    MODIFY source VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    MODIFY external_id VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
ALTER TABLE cases
    MODIFY source VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    MODIFY external_id VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;

-- Names of communities (and the streets, counties, cities above them) by division code, for reminder SMS and the
-- call greeting. Reference data kept by the jurisdictions themselves through PUT /api/v1/communities.
CREATE TABLE community_names (
    code       VARCHAR(12)  NOT NULL PRIMARY KEY,
    name       VARCHAR(40)  NOT NULL,
    updated_at DATETIME(3)  NOT NULL,
    updated_by VARCHAR(128) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

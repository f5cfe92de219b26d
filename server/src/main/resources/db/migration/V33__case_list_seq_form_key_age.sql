-- The case list (GET /api/v1/cases) pages by list_seq, not by id. Ids are made as intake reads its rows, so an import that
-- commits late (or one from another node whose clock or random part sorts lower) lands below a cursor a client has
-- already passed, and paging by id would skip it for ever. list_seq is given only to committed cases, by one
-- transaction at a time holding case_list_seq's row until it commits: a later list_seq is never visible before an
-- earlier one, so a client that pages on it sees every case. NULL: committed or not, not numbered yet.
ALTER TABLE cases ADD COLUMN list_seq BIGINT NULL, ADD UNIQUE KEY uk_cases_list_seq (list_seq);

UPDATE cases c JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM cases) o ON o.id = c.id SET c.list_seq = o.n;

CREATE TABLE case_list_seq (
    id       TINYINT NOT NULL PRIMARY KEY,
    last_seq BIGINT  NOT NULL
) ENGINE = InnoDB;

INSERT INTO case_list_seq (id, last_seq) SELECT 1, COALESCE(MAX(list_seq), 0) FROM cases;

-- The console's door-knock form keys are forgotten a day after use (job door-knock-submissions-prune): by age.
CREATE INDEX ix_door_knock_submissions_recorded ON door_knock_submissions (recorded_at);

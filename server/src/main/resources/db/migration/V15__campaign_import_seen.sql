-- When the import of a campaign last wrote a batch. A campaign still IMPORTING whose import has not been seen for
-- minutes was interrupted (its node died mid-file): the lease job removes it with its partial rows.
ALTER TABLE campaigns ADD COLUMN import_seen_at DATETIME(3) NULL;

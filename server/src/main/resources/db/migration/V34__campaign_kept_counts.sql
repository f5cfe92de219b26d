-- The campaigns list read a COUNT(*) … GROUP BY status of every listed campaign's recipients on every view: with a
-- few million-recipient campaigns that cost seconds of the database the senders need. It now reads these figures,
-- counted by one node's campaign-counts job for running and paused campaigns, and once more when a campaign ends.
-- counted_at: when that count began (its figures are at least that fresh); NULL before the first. counts_last: the
-- campaign had ended and every recipient had its final status (or the wait for receipts was over) when counted, so the
-- figures are kept for good and the campaign is not counted again. One column per recipient status of
-- campaigns.RecipientStatus (a status added there needs its column here).
ALTER TABLE campaigns
    ADD COLUMN counted_at  DATETIME(3) NULL,
    ADD COLUMN counts_last BOOLEAN     NOT NULL DEFAULT FALSE,
    ADD COLUMN n_pending   BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN n_sending   BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN n_queued    BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN n_sent      BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN n_delivered BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN n_failed    BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN n_opted_out BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN n_cancelled BIGINT      NOT NULL DEFAULT 0,
    ADD KEY ix_campaigns_counts_due (status, counts_last);

-- A refused (or peerless) transfer can be sent again once the peer's configuration is fixed (POST
-- /api/v1/transfers/{id}/retry). sending_since is when the current run of sending began: the hand-over, or the
-- last retry (NULL: created_at). A transfer is given up a day after it, not a day after the hand-over, so a
-- retry made the next day is not given up at its first timeout.
ALTER TABLE transfers ADD COLUMN sending_since DATETIME(3) NULL AFTER next_try_at;

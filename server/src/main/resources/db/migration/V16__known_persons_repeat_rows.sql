-- A repeated self-report or control measure on a case now adds a row (the newest counts) instead of moving
-- known_at of the one row: intake writes arrival rows without an ON DUPLICATE KEY update (VALUES() is deprecated
-- on MySQL 8), and matching reads the newest row of a person anyway.
ALTER TABLE known_persons DROP INDEX uk_known_persons_case;

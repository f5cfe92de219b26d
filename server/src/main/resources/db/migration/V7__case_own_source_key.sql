-- A case's own (source, external id) is unique on cases itself, so intake no longer writes a case_sources row
-- beside every new case: case_sources now holds only the aliases, the ids of other sources' pushes merged into an
-- open case. Every case's own id already has its case_sources row (that table's key), so the key cannot clash.
ALTER TABLE cases ADD UNIQUE KEY uk_cases_source_external (source, external_id);
-- Those rows now say again what cases says.
DELETE s FROM case_sources s JOIN cases c
    ON c.id = s.case_id AND c.source = s.source AND c.external_id = s.external_id;

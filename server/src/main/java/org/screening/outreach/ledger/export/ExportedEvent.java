package org.screening.outreach.ledger.export;

import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.LedgerEvent;

/**
 * One ledger event with the fields of its case an export shows. Name and phone are as stored: only
 * {@link LedgerColumns} turns them into cells, masked.
 */
public record ExportedEvent(String caseId, String jurisdiction, Category category, String name, String phone,
                            CaseStatus status, LedgerEvent event) {}

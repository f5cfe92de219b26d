package org.screening.outreach.ledger.export;

/**
 * The words an export shows for codes (event types, statuses, data fields and answers): the console's Chinese texts,
 * so a file reads like the case page. A key without a text gives {@code fallback}.
 */
@FunctionalInterface
public interface Labels {
    String text(String key, String fallback);
}

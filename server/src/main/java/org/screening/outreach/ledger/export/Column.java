package org.screening.outreach.ledger.export;

/**
 * One column of an exported table: the Chinese header the file shows, the English field name it stands for (as in
 * the JSON API and the README), and its width in characters in a spreadsheet.
 */
public record Column(String header, String field, int width) {}

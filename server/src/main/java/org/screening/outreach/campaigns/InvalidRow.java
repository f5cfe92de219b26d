package org.screening.outreach.campaigns;

/** A row of the upload that held no valid mobile number; {@code value} is the input with digit runs masked. */
public record InvalidRow(int row, String value, String problem) {}

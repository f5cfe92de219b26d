package org.screening.outreach.campaigns;

/** One claimed recipient: its row id (also the id in the provider's status callback) and E.164 number. */
public record Recipient(long id, String phone) {}

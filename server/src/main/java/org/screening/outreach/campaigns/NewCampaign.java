package org.screening.outreach.campaigns;

import java.time.Instant;
import java.util.Map;

/** What a centre asks for: the text (already rendered from template + variables), when, and who asked. */
public record NewCampaign(String name, String template, String lang, Map<String, String> variables, String body,
                          String jurisdictionPrefix, String createdBy, Instant startAt, String quietHours) {}

package org.screening.outreach.web.webhooks;

import java.time.Instant;

/**
 * Gets inbound SMS that are not opt-out / opt-in keywords (a reply to a reminder, a question for staff).
 * Called on a worker thread; may block (JDBC). The sender gets no automatic answer.
 */
@FunctionalInterface
public interface InboundSmsListener {
    void received(String fromE164, String body, String messageSid, Instant at);
}

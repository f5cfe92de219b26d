package org.screening.outreach.web.webhooks.spool;

import java.util.Optional;

/**
 * A webhook's side of the spool: how one of its callbacks is applied, the same way whether it just arrived or comes
 * back from disk after a database outage.
 */
@FunctionalInterface
public interface CallbackApplier {
    /**
     * The work that applies the callback as of its arrival ({@link WebhookCallback#receivedAt()}); empty when the
     * callback carries nothing to apply. The work blocks (JDBC), throws when the store fails, and must be harmless
     * to run twice: a replayed callback may already have been applied.
     */
    Optional<Runnable> applying(WebhookCallback callback);
}

package org.screening.outreach.ledger.feed;

import java.util.concurrent.CompletableFuture;

/** Sends one signed event body to a destination; never fails the future (errors are a {@link SendResult}). */
public interface LedgerSender {
    CompletableFuture<SendResult> send(String destination, String eventId, int attempt, byte[] body);
}

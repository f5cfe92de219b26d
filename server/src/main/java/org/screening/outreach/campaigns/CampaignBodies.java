package org.screening.outreach.campaigns;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.screening.outreach.channels.OutboundAttempt;

/**
 * The text of each campaign message while it is handed to the SMS adapter. Adapters render the body from the
 * attempt inside {@code send} (Twilio does; the simulator needs none), and a campaign message has no case to
 * render from, so the sender puts the campaign's text here for the length of the call and the campaign's adapter
 * reads it with {@link #apply}.
 */
public final class CampaignBodies implements Function<OutboundAttempt, String> {
    private final Map<Long, String> texts = new ConcurrentHashMap<>();

    void put(long recipientId, String text) {
        texts.put(recipientId, text);
    }

    void remove(long recipientId) {
        texts.remove(recipientId);
    }

    @Override
    public String apply(OutboundAttempt attempt) {
        String text = texts.get(attempt.attemptId());
        if (text == null) throw new IllegalStateException("no campaign text for recipient " + attempt.attemptId());
        return text;
    }
}

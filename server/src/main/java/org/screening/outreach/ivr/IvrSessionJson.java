package org.screening.outreach.ivr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The session as one JSON text for a database column; unknown fields are ignored so old rows stay readable. */
public final class IvrSessionJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private IvrSessionJson() {}

    public static String write(IvrSession session) {
        try {
            return JSON.writeValueAsString(session);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("IVR session not serialisable", e);
        }
    }

    public static IvrSession read(String json) {
        try {
            return JSON.readValue(json, IvrSession.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an IVR session: " + e.getOriginalMessage(), e);
        }
    }
}

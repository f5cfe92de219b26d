package org.screening.outreach.ivr;

/**
 * Something the callee hears: {@code text} for text-to-speech (Twilio {@code <Say>}), {@code audio} the names of
 * pre-recorded sound files without extension for Asterisk's STREAM FILE, played in turn, joined by {@code &} as in
 * Asterisk's Playback (null when there is none). Texts may hold variables such as {@code ${community}}; audio only
 * {@code ${community_code}}, the code under which the community's recorded name is filed.
 */
public record Prompt(String text, String audio) {
    public static final String AUDIO_SEPARATOR = "&";

    public Prompt {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("prompt text is empty");
    }
}

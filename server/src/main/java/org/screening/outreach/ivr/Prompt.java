package org.screening.outreach.ivr;

/**
 * Something the callee hears: {@code text} for text-to-speech (Twilio {@code <Say>}), {@code audio} the name of a
 * pre-recorded sound file without extension for Asterisk's STREAM FILE (null when there is none). Both may hold
 * variables such as {@code ${community}}; the audio of a text with variables is only the fixed part.
 */
public record Prompt(String text, String audio) {
    public Prompt {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("prompt text is empty");
    }
}

package org.screening.outreach.ivr;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of an IVR script graph. Only {@link Gather} waits for the callee; every other kind runs at once and
 * names the step that follows ({@link Hangup} ends the call).
 */
public sealed interface Step {
    String id();

    /** Every step id this one can lead to, for the validator's graph checks. */
    List<String> successors();

    /** Plays a prompt, then goes on. */
    record Say(String id, Prompt prompt, String next) implements Step {
        public List<String> successors() { return List.of(next); }
    }

    /** How a gather reads the keys the callee pressed. */
    enum Accept {
        /** One of the listed {@code answers}; each answer says where the call goes. */
        CHOICE,
        /** An arrival date: 8 digits YYYYMMDD, or 1–2 digits meaning "this many days ago" (0 = today). */
        DATE_OR_DAYS_AGO,
    }

    /** A listed answer: what is recorded ({@code value}), how the read-back says it ({@code label}), where next. */
    record Choice(String value, String label, String next) {}

    /**
     * Asks, waits for keys, records the answer under {@code key}. Silence or an invalid entry repeats the prompt
     * (after {@code onSilence} / {@code onInvalid}) up to {@code retries} times, then goes to {@code exhausted}.
     * {@code readback} says this answer in the read-back, with {@code ${answer}} standing for the label.
     */
    record Gather(String id, Prompt prompt, String key, Accept accept, int maxDigits, int timeoutSeconds,
                  int retries, Prompt onSilence, Prompt onInvalid, Map<String, Choice> answers, String next,
                  String exhausted, String readback, String dateFormat) implements Step {
        public List<String> successors() {
            List<String> out = new java.util.ArrayList<>();
            answers.values().forEach(c -> out.add(c.next()));
            if (next != null) out.add(next);
            out.add(exhausted);
            return out;
        }

        public Optional<Prompt> silencePrompt() { return Optional.ofNullable(onSilence); }

        public Optional<Prompt> invalidPrompt() { return Optional.ofNullable(onInvalid); }
    }

    /** Goes where the recorded answer under {@code key} says; {@code otherwise} when no case matches or none recorded. */
    record Branch(String id, String key, Map<String, String> cases, String otherwise) implements Step {
        public List<String> successors() {
            List<String> out = new java.util.ArrayList<>(cases.values());
            out.add(otherwise);
            return out;
        }
    }

    /** Records a fixed value under a key (e.g. that the call reached its closing words). */
    record Record(String id, String key, String value, String next) implements Step {
        public List<String> successors() { return List.of(next); }
    }

    /** Ends the call, after an optional last prompt. */
    record Hangup(String id, Prompt prompt) implements Step {
        public List<String> successors() { return List.of(); }
    }
}

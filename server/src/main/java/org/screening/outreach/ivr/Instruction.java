package org.screening.outreach.ivr;

import java.util.List;

/** What the provider should do next, in provider-neutral terms; renderers turn these into TwiML or AGI commands. */
public sealed interface Instruction {

    /**
     * Say {@code text} by text-to-speech, or play {@code audio} where the provider has it: sound file names joined
     * by {@link Prompt#AUDIO_SEPARATOR}, in order.
     */
    record Speak(String text, String audio) implements Instruction {}

    /**
     * Play the prompts while listening for keys (so a callee who knows the answer can press at once), up to
     * {@code maxDigits} keys, {@code #} ends early, {@code timeoutSeconds} of silence ends the wait.
     */
    record Gather(List<Speak> prompts, int maxDigits, int timeoutSeconds, String finishOnKey) implements Instruction {
        public Gather {
            prompts = List.copyOf(prompts);
        }
    }

    record Hangup() implements Instruction {}
}

package org.screening.outreach.channels.voice.asterisk;

import java.util.List;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.screening.outreach.ivr.CallEvent;
import org.screening.outreach.ivr.Instruction;

/**
 * Carries out the IVR engine's instructions on an AGI channel and says what the callee did.
 * <ul>
 * <li>{@code Speak} → {@code STREAM FILE <audio> ""}: pre-recorded prompts only, Asterisk has no text-to-speech;
 *   a prompt without audio (the read-back of answers) is skipped.</li>
 * <li>{@code Gather} → earlier prompts streamed, then {@code GET DATA <last prompt> <timeout ms> <max digits>}
 *   ({@code #} ends the entry, as the engine asks); no digits is {@link CallEvent.Silence}. A gather without
 *   audio listens over {@link #QUIET}.</li>
 * <li>{@code Hangup} → {@code HANGUP}.</li>
 * </ul>
 * A callee hanging up shows as {@link AgiHangupException} (Asterisk's {@code HANGUP} line or 511 on a dead
 * channel) or as GET DATA's {@code result=-1}; both end in {@link CallEvent.HungUp}.
 */
final class AgiPlayer {
    /** Core Asterisk sound of one second of silence, installed with every PBX. */
    static final String QUIET = "silence/1";

    private final AgiChannel channel;

    AgiPlayer(AgiChannel channel) {
        this.channel = channel;
    }

    /** Plays {@code instructions}; the keys of the final gather, silence, or null when there was none. */
    CallEvent play(List<Instruction> instructions) throws AgiException {
        CallEvent heard = null;
        for (Instruction i : instructions) {
            if (i instanceof Instruction.Speak s) {
                speak(s);
            } else if (i instanceof Instruction.Gather g) {
                heard = gather(g);
                if (heard instanceof CallEvent.HungUp) return heard;
            } else if (i instanceof Instruction.Hangup) {
                channel.hangup();
                return new CallEvent.HungUp();
            }
        }
        return heard;
    }

    private void speak(Instruction.Speak s) throws AgiException {
        if (s.audio() == null || s.audio().isBlank()) return;
        channel.streamFile(s.audio(), "");
    }

    private CallEvent gather(Instruction.Gather g) throws AgiException {
        List<Instruction.Speak> prompts = g.prompts();
        for (int i = 0; i < prompts.size() - 1; i++) speak(prompts.get(i));
        String audio = prompts.isEmpty() ? null : prompts.get(prompts.size() - 1).audio();
        String file = audio == null || audio.isBlank() ? QUIET : audio;
        String digits = channel.getData(file, g.timeoutSeconds() * 1000L, Math.max(1, g.maxDigits()));
        if ("-1".equals(digits)) return new CallEvent.HungUp(); // the line closed during the prompt or the wait
        return CallEvent.keys(digits == null ? "" : digits.strip());
    }
}

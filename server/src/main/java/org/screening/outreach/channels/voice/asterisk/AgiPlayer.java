package org.screening.outreach.channels.voice.asterisk;

import java.util.List;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.screening.outreach.ivr.CallEvent;
import org.screening.outreach.ivr.Instruction;
import org.screening.outreach.ivr.Prompt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the IVR engine's instructions on an AGI channel and says what the callee did.
 * <ul>
 * <li>{@code Speak} → {@code STREAM FILE <file> ""} for each of its sound files: pre-recorded prompts only, Asterisk
 *   has no text-to-speech; a prompt without audio (the read-back of answers) is skipped.</li>
 * <li>{@code Gather} → earlier prompts streamed, then {@code GET DATA <last prompt> <timeout ms> <max digits>}
 *   ({@code #} ends the entry, as the engine asks); no digits is {@link CallEvent.Silence}. A gather without
 *   audio, or whose prompt the PBX cannot play, listens over {@link #QUIET}.</li>
 * <li>{@code Hangup} → {@code HANGUP}.</li>
 * </ul>
 * A callee hanging up shows as {@link AgiHangupException} (Asterisk's {@code HANGUP} line or 511 on a dead
 * channel) or as GET DATA's {@code result=-1}; both end in {@link CallEvent.HungUp}.
 */
final class AgiPlayer {
    private static final Logger LOG = LoggerFactory.getLogger(AgiPlayer.class);
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

    /**
     * Streams each file of the prompt in turn. A file the PBX lacks (a community whose name was not recorded) gets
     * {@code result=-1} from Asterisk and the session goes on: the callee hears the rest of the prompt.
     */
    private void speak(Instruction.Speak s) throws AgiException {
        for (String file : files(s)) channel.streamFile(file, "");
    }

    /** Sets a variable on the channel, which outlives the session (the dialplan and AMI events see it). */
    void setVariable(String name, String value) throws AgiException {
        channel.setVariable(name, value);
    }

    /** A variable of the channel (those of the Originate included); null when it has none. */
    String variable(String name) throws AgiException {
        return channel.getVariable(name);
    }

    private CallEvent gather(Instruction.Gather g) throws AgiException {
        List<Instruction.Speak> prompts = g.prompts();
        for (int i = 0; i < prompts.size() - 1; i++) speak(prompts.get(i));
        List<String> last = prompts.isEmpty() ? List.of() : files(prompts.get(prompts.size() - 1));
        // The question's last file is played by GET DATA, so keys pressed during it count.
        for (int i = 0; i < last.size() - 1; i++) channel.streamFile(last.get(i), "");
        String file = last.isEmpty() ? QUIET : last.get(last.size() - 1);
        long timeoutMs = g.timeoutSeconds() * 1000L;
        int maxDigits = Math.max(1, g.maxDigits());
        String digits = channel.getData(file, timeoutMs, maxDigits);
        if ("-1".equals(digits) && !file.equals(QUIET)) {
            // Asterisk answers -1 also when it cannot open the prompt (a recording missing on this PBX), the line
            // still up. Listening again without it tells the two apart: a closed line refuses GET DATA (511).
            LOG.warn("prompt {} not played (is its sound file installed?); listening without it", file);
            digits = channel.getData(QUIET, timeoutMs, maxDigits);
        }
        if ("-1".equals(digits)) return new CallEvent.HungUp(); // the line closed during the prompt or the wait
        return CallEvent.keys(digits == null ? "" : digits.strip());
    }

    private static List<String> files(Instruction.Speak s) {
        if (s.audio() == null || s.audio().isBlank()) return List.of();
        return List.of(s.audio().split(Prompt.AUDIO_SEPARATOR));
    }
}

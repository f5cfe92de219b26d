package org.screening.outreach.ivr;

import java.util.List;

/**
 * The engine's answer to one event: what to play or do, the session to store until the next event, and the
 * answers this event recorded (write them to the ledger now: a callee may hang up before the next question).
 */
public record Turn(List<Instruction> instructions, IvrSession session, List<RecordedAnswer> recorded) {
    public Turn {
        instructions = List.copyOf(instructions);
        recorded = List.copyOf(recorded);
    }

    public boolean ended() {
        return session.ended();
    }
}

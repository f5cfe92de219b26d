package org.screening.outreach.channels.voice.asterisk;

import java.util.List;
import java.util.Optional;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.screening.outreach.ivr.CallEvent;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.Instruction;
import org.screening.outreach.ivr.IvrSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI script {@code ivr}: one answered call, attempt id in {@code agi_arg_1} (the dialplan passes
 * {@code ${OUTREACH_ATTEMPT}}). Runs the first-check conversation event by event through {@link Conversations}
 * (which stores the session and each answer), playing each reply with {@link AgiPlayer}, until the script hangs
 * up or the callee does; then tells {@link Sessions} how it ended.
 */
final class IvrAgiScript implements AgiScript {
    static final String NAME = "ivr";
    private static final Logger LOG = LoggerFactory.getLogger(IvrAgiScript.class);

    /** The adapter's side of a session: may it run, and how it ended (empty: the attempt is unknown). */
    interface Sessions {
        LiveCalls.AgiStart started(long attemptId);

        void ended(long attemptId, Optional<IvrSession> session);
    }

    private final Conversations conversations;
    private final Sessions sessions;

    IvrAgiScript(Conversations conversations, Sessions sessions) {
        this.conversations = conversations;
        this.sessions = sessions;
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        Long attemptId = attemptId(request.getArguments());
        if (attemptId == null) {
            LOG.warn("AGI session on {} without a valid attempt id; hanging up", request.getUniqueId());
            channel.hangup();
            return;
        }
        LiveCalls.AgiStart start = sessions.started(attemptId);
        if (start == LiveCalls.AgiStart.REFUSE) {
            LOG.info("AGI session for attempt {} refused: the call is already settled", attemptId);
            channel.hangup();
            return;
        }
        Optional<IvrSession> end = Optional.empty();
        try {
            end = converse(attemptId, new AgiPlayer(channel));
        } finally {
            sessions.ended(attemptId, end);
        }
    }

    /** The session at the call's end; empty when the attempt is not a call of ours (hung up at once). */
    private Optional<IvrSession> converse(long attemptId, AgiPlayer player) {
        CallEvent event = new CallEvent.Started();
        IvrSession last = null;
        try {
            while (true) {
                Optional<Conversations.Reply> reply = conversations.handle(attemptId, event, null, Conversations.Render.NOTHING);
                if (reply.isEmpty()) {
                    LOG.warn("AGI session for unknown attempt {}; hanging up", attemptId);
                    player.play(List.of(new Instruction.Hangup()));
                    return Optional.empty();
                }
                last = reply.get().session();
                CallEvent heard = player.play(reply.get().instructions());
                if (reply.get().ended()) return Optional.of(last);
                if (heard == null) heard = new CallEvent.Silence(); // a turn that waits always ends in a gather
                if (heard instanceof CallEvent.HungUp) return conversations.finish(attemptId);
                event = heard;
            }
        } catch (AgiException e) {
            // A hang-up, or the AGI link broke (the call is lost to us either way). The closing prompt of an ended
            // script may be cut short; otherwise the callee left mid-script.
            if (!(e instanceof AgiHangupException)) {
                LOG.warn("AGI session of attempt {} broke off: {}", attemptId, e.getClass().getSimpleName());
            }
            if (last != null && last.ended()) return Optional.of(last);
            return conversations.finish(attemptId);
        }
    }

    static Long attemptId(String[] args) {
        if (args == null || args.length == 0 || args[0] == null) return null;
        try {
            long id = Long.parseLong(args[0].strip());
            return id > 0 ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

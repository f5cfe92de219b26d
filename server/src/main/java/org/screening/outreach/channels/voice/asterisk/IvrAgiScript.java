package org.screening.outreach.channels.voice.asterisk;

import java.util.List;
import java.util.Optional;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.ivr.BrokenOffCalls;
import org.screening.outreach.ivr.CallEvent;
import org.screening.outreach.ivr.CallOutcomes;
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
 *
 * <p>When a step cannot be stored (the database fails mid-call) the conversation cannot go on: the callee hears the
 * script's apology in the call's language and the line is closed, and {@link Sessions#broke} settles the attempt
 * for the retry plan, with the answers already in the ledger. The channel carries the breakage too
 * ({@link AsteriskVoiceAdapter#IVR_ERROR_VARIABLE}): a call placed by another node is settled by that node, at its
 * Hangup. And the call is kept as broken off where the database is not needed ({@link BrokenOffCalls}): should that
 * report be lost with the database, the attempt is settled FAILED once it is back, not as answered by the settling of
 * unreported calls. A session ended by something unforeseen (a bug) is broken off in the same way. When only the
 * closing of a session the callee has left cannot be stored, the answers stand as they were stored.
 */
final class IvrAgiScript implements AgiScript {
    static final String NAME = "ivr";
    private static final Logger LOG = LoggerFactory.getLogger(IvrAgiScript.class);

    /** The adapter's side of a session: may it run, and how it ended (empty: the attempt is unknown). */
    interface Sessions {
        LiveCalls.AgiStart started(long attemptId);

        void ended(long attemptId, Optional<IvrSession> session);

        /**
         * The conversation broke off on our side ({@code error}; the callee heard the apology): {@code stored} is the
         * session as last stored, whose answers are in the ledger. The call was not a first check: tried again.
         */
        void broke(long attemptId, Optional<IvrSession> stored, String error);

        /** The language tag of the case of a call placed here, for an apology before its session was read; or null. */
        default String language(long attemptId) {
            return null;
        }
    }

    /** How a session ended: its session (empty: the attempt is unknown), and the error if it broke off on our side. */
    private record End(Optional<IvrSession> session, String error) {
        static End of(Optional<IvrSession> session) {
            return new End(session, null);
        }
    }

    private final Conversations conversations;
    private final Sessions sessions;
    private final BrokenOffCalls brokenOff;

    IvrAgiScript(Conversations conversations, Sessions sessions, BrokenOffCalls brokenOff) {
        this.conversations = conversations;
        this.sessions = sessions;
        this.brokenOff = brokenOff;
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
        AgiPlayer player = new AgiPlayer(channel);
        End end;
        try {
            end = converse(attemptId, player);
        } catch (RuntimeException | Error e) {
            // Something unforeseen (a bug) ended the session: not a first check, and the callee is owed the apology.
            settle(attemptId, brokeOff(attemptId, player, null, e));
            throw e;
        }
        settle(attemptId, end);
    }

    private void settle(long attemptId, End end) {
        if (end.error() == null) {
            sessions.ended(attemptId, end.session());
            return;
        }
        brokenOff.keep(attemptId, AsteriskVoiceAdapter.PROVIDER).whenComplete((kept, e) -> {
            if (e != null) {
                LOG.error("call attempt={}: broken-off call not kept ({}); only its report settles it", attemptId,
                        Masking.redactNumbers(String.valueOf(e)));
            }
        });
        sessions.broke(attemptId, end.session(), end.error());
    }

    /** How the session ended; an empty session when the attempt is not a call of ours (hung up at once). */
    private End converse(long attemptId, AgiPlayer player) {
        CallEvent event = new CallEvent.Started();
        IvrSession last = null;
        try {
            while (true) {
                Optional<Conversations.Reply> reply;
                try {
                    reply = conversations.handle(attemptId, event, null, Conversations.Render.NOTHING);
                } catch (RuntimeException e) {
                    return brokeOff(attemptId, player, last, e);
                }
                if (reply.isEmpty()) {
                    LOG.warn("AGI session for unknown attempt {}; hanging up", attemptId);
                    player.play(List.of(new Instruction.Hangup()));
                    return End.of(Optional.empty());
                }
                last = reply.get().session();
                CallEvent heard = player.play(reply.get().instructions());
                if (reply.get().ended()) return End.of(Optional.of(last));
                if (heard == null) heard = new CallEvent.Silence(); // a turn that waits always ends in a gather
                if (heard instanceof CallEvent.HungUp) return finish(attemptId, last);
                event = heard;
            }
        } catch (AgiException e) {
            // A hang-up, or the AGI link broke (the call is lost to us either way). The closing prompt of an ended
            // script may be cut short; otherwise the callee left mid-script.
            if (!(e instanceof AgiHangupException)) {
                LOG.warn("AGI session of attempt {} broke off: {}", attemptId, e.getClass().getSimpleName());
            }
            if (last != null && last.ended()) return End.of(Optional.of(last));
            return finish(attemptId, last);
        }
    }

    /**
     * The callee has left: the session is closed as hung up. When that cannot be stored, the session as last stored,
     * hung up, is the end: its answers reached the ledger with it, and nothing was lost with the line.
     */
    private End finish(long attemptId, IvrSession last) {
        try {
            return End.of(conversations.finish(attemptId));
        } catch (RuntimeException e) {
            LOG.warn("call attempt={}: closing its IVR session failed ({}); its stored answers stand", attemptId,
                    Masking.redactNumbers(String.valueOf(e.getMessage())));
            return End.of(Optional.ofNullable(last).map(IvrSession::hungUp));
        }
    }

    /** A step could not be run or stored: the callee hears the apology in the call's language, the line closes. */
    private End brokeOff(long attemptId, AgiPlayer player, IvrSession last, Throwable e) {
        LOG.error("call attempt={}: IVR step failed ({}); apologising, the call will be tried again", attemptId,
                Masking.redactNumbers(String.valueOf(e)));
        String known = last != null && last.language() != null ? last.language() : sessions.language(attemptId);
        try {
            // Said on the channel first: when the call is another node's, its Hangup tells that node (no database).
            player.setVariable(AsteriskVoiceAdapter.IVR_ERROR_VARIABLE, CallOutcomes.BROKE_OFF);
            // Another node's call, not read yet: the case's language is the one its Originate put on the channel.
            String language = known != null ? known : player.variable(AsteriskVoiceAdapter.LANGUAGE_VARIABLE);
            player.play(Conversations.apology(conversations.scriptFor(language)));
        } catch (AgiException | RuntimeException ex) {
            LOG.info("call attempt={}: apology not played ({}); the callee may have left", attemptId,
                    ex.getClass().getSimpleName());
        }
        return new End(Optional.ofNullable(last), CallOutcomes.BROKE_OFF);
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

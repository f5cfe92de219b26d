package org.screening.outreach.ivr;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs an IVR script one event at a time, with no I/O: the same engine serves Twilio webhooks (one HTTP request
 * per event, session stored in between) and Asterisk FastAGI sessions. The clock only turns "3 days ago" into a
 * date, in the clock's zone (the deployment's zone, OUTREACH_TIMEZONE).
 */
public final class IvrEngine {
    /** Steps run without waiting in one turn; validated scripts never come near it, it only stops a bug spinning. */
    private static final int MAX_STEPS_PER_TURN = 200;

    private final Clock clock;

    public IvrEngine(Clock clock) {
        this.clock = clock;
    }

    public Turn handle(IvrScript script, IvrSession session, CallEvent event, CallContext context) {
        if (!script.id().equals(session.script())) {
            throw new IllegalArgumentException("session of script " + session.script() + " given script " + script.id());
        }
        Run run = new Run(script, session, context);
        if (event instanceof CallEvent.HungUp) {
            // Nothing to say to a closed line; the answers already recorded stand.
            if (session.ended()) return run.finish(session);
            return run.finish(session.hungUp());
        }
        if (session.ended()) {
            // A late or replayed request after the end: hang up again, record nothing.
            run.instructions.add(new Instruction.Hangup());
            return run.finish(session);
        }
        if (session.status() == IvrSession.Status.NEW) {
            // Twilio's first webhook carries no digits; any first event starts the script.
            return run.from(script.start());
        }
        Optional<Step.Gather> waiting = Optional.ofNullable(session.waitingAt()).map(script.steps()::get)
                .filter(s -> s instanceof Step.Gather).map(s -> (Step.Gather) s);
        if (waiting.isEmpty()) {
            // The script was replaced while this call waited at a step it no longer has: end politely.
            return run.abandon();
        }
        Step.Gather g = waiting.get();
        if (event instanceof CallEvent.Started) return run.ask(g, null, session.tries());
        if (event instanceof CallEvent.Digits d && !d.digits().isEmpty()) {
            Optional<AnswerReader.Answer> answer = AnswerReader.read(g, d.digits(), LocalDate.now(clock));
            if (answer.isPresent()) {
                run.record(g.key(), answer.get().value(), g.id(), d.digits());
                return run.from(answer.get().next());
            }
            return run.retry(g, g.onInvalid());
        }
        return run.retry(g, g.onSilence());
    }

    /**
     * Keys that arrived after the line closed (Twilio's last {@code <Gather>} posted after the status callback ended
     * the call): the answer they give to the question the call was on ({@code session.waitingAt()}), if valid. Nothing
     * else runs, the call being over: no next question, no record step, no retry.
     */
    public Optional<RecordedAnswer> lateAnswer(IvrScript script, IvrSession session, CallEvent event) {
        if (!(event instanceof CallEvent.Digits d) || d.digits().isEmpty() || !script.id().equals(session.script())) {
            return Optional.empty();
        }
        Step step = session.waitingAt() == null ? null : script.steps().get(session.waitingAt());
        if (!(step instanceof Step.Gather g)) return Optional.empty();
        return AnswerReader.read(g, d.digits(), LocalDate.now(clock))
                .map(a -> new RecordedAnswer(g.key(), a.value(), g.id(), d.digits()));
    }

    /** The working state of one turn: answers grow, instructions and recorded answers accumulate. */
    private static final class Run {
        final IvrScript script;
        final IvrSession before;
        final CallContext context;
        final Map<String, String> answers;
        final List<Instruction> instructions = new ArrayList<>();
        final List<RecordedAnswer> recorded = new ArrayList<>();
        int turns;

        Run(IvrScript script, IvrSession before, CallContext context) {
            this.script = script;
            this.before = before;
            this.context = context;
            this.answers = new LinkedHashMap<>(before.answers());
            this.turns = before.turns();
        }

        Turn finish(IvrSession after) {
            return new Turn(instructions, after, recorded);
        }

        void record(String key, String value, String stepId, String digits) {
            answers.put(key, value);
            recorded.add(new RecordedAnswer(key, value, stepId, digits));
        }

        Instruction.Speak speak(Prompt p) {
            return new Instruction.Speak(Texts.fill(p.text(), Texts.variables(script, answers, context)),
                    Texts.audio(p.audio(), context));
        }

        Turn retry(Step.Gather g, Prompt notice) {
            int tries = before.tries() + 1;
            if (tries > g.retries()) return from(g.exhausted());
            return ask(g, notice, tries);
        }

        /** Waits at {@code g}, after an optional notice ("no key heard"), unless the call has waited too often. */
        Turn ask(Step.Gather g, Prompt notice, int tries) {
            if (++turns > script.maxTurns()) return abandon();
            if (notice != null) instructions.add(speak(notice));
            instructions.add(new Instruction.Gather(List.of(speak(g.prompt())), g.maxDigits(), g.timeoutSeconds(), "#"));
            return finish(before.with(IvrSession.Status.WAITING, g.id(), tries, turns, answers));
        }

        Turn abandon() {
            instructions.add(new Instruction.Hangup());
            return finish(before.with(IvrSession.Status.ABANDONED, null, 0, turns, answers));
        }

        /** Runs steps from {@code stepId} until one waits for keys or hangs up. */
        Turn from(String stepId) {
            String id = stepId;
            for (int i = 0; i < MAX_STEPS_PER_TURN; i++) {
                Step step = script.step(id);
                if (step instanceof Step.Gather g) return ask(g, null, 0);
                if (step instanceof Step.Hangup h) {
                    if (h.prompt() != null) instructions.add(speak(h.prompt()));
                    instructions.add(new Instruction.Hangup());
                    return finish(before.with(IvrSession.Status.COMPLETED, null, 0, turns, answers));
                }
                if (step instanceof Step.Say s) {
                    instructions.add(speak(s.prompt()));
                    id = s.next();
                } else if (step instanceof Step.Record r) {
                    record(r.key(), r.value(), r.id(), null);
                    id = r.next();
                } else if (step instanceof Step.Branch b) {
                    String value = answers.get(b.key());
                    id = value == null ? b.otherwise() : b.cases().getOrDefault(value, b.otherwise());
                }
            }
            throw new IllegalStateException(script.source() + ": more than " + MAX_STEPS_PER_TURN + " steps without waiting");
        }
    }
}

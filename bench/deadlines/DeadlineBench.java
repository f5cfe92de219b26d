/*
 * Deadline benchmark — see bench/deadlines/README.md.
 *
 * A virtual-clock simulation of the scenario "overload" on the server's own scheduling code: the retry plans,
 * ContactPlanner, CaseProgress, CapacityForecast, the Dispatcher with its TokenBucket, the background jobs and
 * the sim channel adapters all come from the server jar. Only the outside world is simulated here: time (a
 * settable Clock and a queue of timed events), the telephone line (the sim adapters' Delays put their outcomes
 * on that queue) and storage (an in-memory AttemptQueue that mirrors store/JdbcAttemptQueue row for row).
 *
 * Launched as a single-file Java 17 program: java -cp outreach-server.jar DeadlineBench.java [seed]
 * Figures (name=value) go to stdout, progress and warnings to stderr.
 */

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.Delays;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.sms.sim.SimSmsAdapter;
import org.screening.outreach.channels.voice.sim.SimVoiceAdapter;
import org.screening.outreach.dispatch.AttemptQueue;
import org.screening.outreach.dispatch.BackgroundJob;
import org.screening.outreach.dispatch.DispatchJob;
import org.screening.outreach.dispatch.Dispatcher;
import org.screening.outreach.dispatch.EscalationJob;
import org.screening.outreach.dispatch.PlanNewCasesJob;
import org.screening.outreach.dispatch.ReapLeasesJob;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CapacityForecast;
import org.screening.outreach.domain.CaseId;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.Deadlines;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlan;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.domain.RiskCase;

public final class DeadlineBench {

    // ---------------------------------------------------------------- scenario "overload"

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** 09:00 local: outside the default quiet hours (22:00–07:00), so YELLOW is called at once too. */
    static final Instant T0 = ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZONE).toInstant();

    record Push(Duration at, Category category, int count) {}

    static final List<Push> PUSHES = List.of(
            new Push(Duration.ZERO, Category.YELLOW, 50_000),
            new Push(Duration.ofMinutes(5), Category.RED, 10_000));
    static final int VOICE_CHANNELS = 120;
    static final double CALLS_PER_SECOND = 10;
    static final double SMS_PER_SECOND = 100;
    /** Per call 60 % answered, 10 % busy, 30 % no answer (nothing left for FAILED); talk 60 s, ring 30 s. */
    static final SimVoiceAdapter.Behaviour LINE = new SimVoiceAdapter.Behaviour(0.6, 0.1, 0.3,
            Duration.ofSeconds(60), Duration.ofSeconds(30));
    /** SMS as Dispatching.channels wires the sim: 97 % delivered after 2 s, 10 s worth of messages in flight. */
    static final double SMS_DELIVERED = 0.97;
    static final Duration SMS_DELAY = Duration.ofSeconds(2);
    /** Leases as Dispatching.start gives them. */
    static final Duration VOICE_LEASE = Duration.ofMinutes(10);
    static final Duration SMS_LEASE = Duration.ofMinutes(2);
    static final String JURISDICTION = "510104001001";

    /** Mean time a call holds a channel under LINE: answered calls talk, busy and unanswered ones ring. */
    static Duration meanHold() {
        double failed = Math.max(0, 1 - LINE.answer() - LINE.busy() - LINE.noAnswer());
        double seconds = LINE.answer() * LINE.talk().toMillis() / 1000.0
                + (LINE.busy() + LINE.noAnswer()) * LINE.ring().toMillis() / 1000.0 + failed * 0;
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    enum Variant {
        /** The server: earliest deadline first, escalation at deadline − lead, capacity forecast every 30 s. */
        OURS,
        /** Baseline: same line and plans, calls first come first served, escalation only when the deadline passes. */
        FIFO
    }

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42L;
        long wallStart = System.nanoTime();

        Result ours = new Sim(Variant.OURS, seed).run();
        Result fifo = new Sim(Variant.FIFO, seed).run();
        Bound bound = Bound.compute(planner(Variant.OURS));

        Map<String, String> out = new LinkedHashMap<>();
        out.put("scenario", "overload");
        out.put("seed", Long.toString(seed));
        int nRed = count(Category.RED);
        int nYellow = count(Category.YELLOW);
        out.put("cases_red", Integer.toString(nRed));
        out.put("cases_yellow", Integer.toString(nYellow));
        out.put("bound_reached_in_time", Long.toString(bound.total));
        out.put("bound_red_reached_in_time", Long.toString(bound.red));
        out.put("bound_to_deadline_reached_in_time", Long.toString(bound.toDeadline));
        for (Result r : List.of(ours, fifo)) {
            String p = r.variant.name().toLowerCase(Locale.ROOT) + "_";
            out.put(p + "red_reached_in_time", Integer.toString(r.reachedInTime(Category.RED)));
            out.put(p + "red_reached_in_time_share", fmt(r.reachedInTime(Category.RED) / (double) nRed));
            out.put(p + "yellow_reached_in_time", Integer.toString(r.reachedInTime(Category.YELLOW)));
            out.put(p + "yellow_reached_in_time_share", fmt(r.reachedInTime(Category.YELLOW) / (double) nYellow));
            out.put(p + "reached_in_time", Integer.toString(r.reachedInTime(null)));
            out.put(p + "silent_breaches", Integer.toString(r.silentBreaches()));
            out.put(p + "silent_breaches_red", Integer.toString(r.silentBreaches(Category.RED)));
            out.put(p + "door_knocks", Integer.toString(r.doorKnocks(null)));
            out.put(p + "door_knocks_red", Integer.toString(r.doorKnocks(Category.RED)));
            out.put(p + "door_knocks_capacity_shortfall", Integer.toString(r.doorKnocksFor(DoorKnockTask.CAPACITY_SHORTFALL)));
            out.put(p + "door_knocks_withdrawn", Integer.toString(r.knocksWithdrawn()));
            out.put(p + "min_knock_lead_minutes", r.minKnockLeadMinutes());
            out.put(p + "voice_calls", Long.toString(r.voiceCalls));
            out.put(p + "line_busy_share", fmt(r.lineBusyShare));
        }
        out.put("red_reach_ratio", ratio(ours.reachedInTime(Category.RED), fifo.reachedInTime(Category.RED)));
        out.put("reach_vs_bound", fmt(ours.reachedInTime(null) / (double) bound.total));
        out.put("wall_seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - wallStart) / 1e9));
        out.forEach((k, v) -> System.out.println(k + "=" + v));

        boolean silent = ours.silentBreaches() == 0;
        boolean red = ours.reachedInTime(Category.RED) >= 2L * fifo.reachedInTime(Category.RED)
                && ours.reachedInTime(Category.RED) > 0;
        boolean reach = ours.reachedInTime(null) >= 0.95 * bound.total;
        System.err.printf(Locale.ROOT, "goals: silent breaches 0 %s; RED reach >= 2x FIFO %s; reach >= 95%% of bound %s%n",
                met(silent), met(red), met(reach));
    }

    static String met(boolean b) {
        return b ? "MET" : "NOT MET";
    }

    static int count(Category c) {
        return PUSHES.stream().filter(p -> p.category() == c).mapToInt(Push::count).sum();
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }

    static String ratio(long a, long b) {
        if (b == 0) return a == 0 ? "nan" : "inf";
        return String.format(Locale.ROOT, "%.3f", a / (double) b);
    }

    /** The server's planner for OURS; for FIFO the same plans with no escalation lead (escalate at the deadline). */
    static ContactPlanner planner(Variant v) {
        RetryPlans plans = RetryPlans.defaults();
        if (v == Variant.FIFO) {
            for (Category c : Category.values()) {
                RetryPlan p = plans.of(c);
                plans = plans.with(c, new RetryPlan(p.smsAt(), p.callsAt(), p.busyRetry(), Duration.ZERO,
                        p.ignoresQuietHours()));
            }
        }
        return new ContactPlanner(plans, QuietHours.defaults());
    }

    // ---------------------------------------------------------------- the bound

    /**
     * Expected-value upper bound on cases reached by phone in time, from the line's capacity alone (unlimited
     * retries, perfect scheduling): see bench/README.md. For every group of pushes whose phone windows end by
     * some window end e, every call that can reach one of them starts in [first receipt of the group, e]; the
     * line starts at most calls(L) calls in a window of length L, a share {@code answer} of calls is answered, and
     * of those the simulated callee confirms being the user of the number in {@code IDENTITY_CONFIRMED} of cases.
     */
    static final class Bound {
        long total;
        long red;
        long toDeadline;

        static Bound compute(ContactPlanner planner) {
            Bound b = new Bound();
            b.total = bound(planner, false, null);
            b.red = bound(planner, false, Category.RED);
            b.toDeadline = bound(planner, true, null);
            return b;
        }

        /** {@code toDeadline}: calls may start until deadline − talk (an answered call ends by the deadline). */
        static long bound(ContactPlanner planner, boolean toDeadline, Category only) {
            record Window(Instant start, Instant end, int cases) {}
            List<Window> ws = new ArrayList<>();
            Deadlines deadlines = Deadlines.defaults();
            for (Push p : PUSHES) {
                if (only != null && p.category() != only) continue;
                Instant received = T0.plus(p.at());
                RiskCase sample = new RiskCase("bound", "bench", "x", "x", "+8613800000000", true, null, p.category(),
                        JURISDICTION, received, received, deadlines.deadlineFor(p.category(), received), CaseStatus.NEW);
                Instant end = toDeadline ? sample.deadlineAt().minus(LINE.talk()) : planner.escalateAt(sample);
                ws.add(new Window(received, end, p.count()));
            }
            int all = ws.stream().mapToInt(Window::cases).sum();
            double best = all;
            for (Window w : ws) {
                Instant start = w.end();
                int inGroup = 0;
                for (Window x : ws) {
                    if (!x.end().isAfter(w.end())) {
                        inGroup += x.cases();
                        if (x.start().isBefore(start)) start = x.start();
                    }
                }
                double seconds = Math.max(0, Duration.between(start, w.end()).toMillis() / 1000.0);
                // A case is reached when a call is answered and the callee confirms being the user of the number.
                double reachPerCall = LINE.answer() * SimVoiceAdapter.IDENTITY_CONFIRMED;
                best = Math.min(best, reachPerCall * callStarts(seconds) + (all - inGroup));
            }
            return (long) Math.floor(best);
        }

        /** Most calls the line can start in a window of {@code seconds} (expected, for the channel limit). */
        static double callStarts(double seconds) {
            double byRate = CALLS_PER_SECOND * seconds + Math.max(1, CALLS_PER_SECOND); // plus a full token bucket
            double hold = meanHold().toMillis() / 1000.0;
            double byChannels = VOICE_CHANNELS * (seconds + LINE.talk().toMillis() / 1000.0) / hold;
            return Math.min(byRate, byChannels);
        }
    }

    // ---------------------------------------------------------------- results

    static final class Result {
        final Variant variant;
        final List<CaseRow> cases;
        long voiceCalls;
        double lineBusyShare;

        Result(Variant variant, List<CaseRow> cases) {
            this.variant = variant;
            this.cases = cases;
        }

        static boolean inTime(CaseRow r) {
            return r.reachedAt != null && r.reachedAt.isBefore(r.rc.deadlineAt());
        }

        int reachedInTime(Category c) {
            int n = 0;
            for (CaseRow r : cases) if ((c == null || r.rc.category() == c) && inTime(r)) n++;
            return n;
        }

        /** Neither reached by phone nor handed to a door knock strictly before the deadline. */
        int silentBreaches(Category c) {
            int n = 0;
            for (CaseRow r : cases) {
                if (c != null && r.rc.category() != c) continue;
                boolean escalatedInTime = r.escalatedAt != null && r.escalatedAt.isBefore(r.rc.deadlineAt());
                if (!inTime(r) && !escalatedInTime) n++;
            }
            return n;
        }

        int silentBreaches() {
            return silentBreaches(null);
        }

        int doorKnocks(Category c) {
            int n = 0;
            for (CaseRow r : cases) if ((c == null || r.rc.category() == c) && r.knocks > 0) n++;
            return n;
        }

        int doorKnocksFor(String reason) {
            int n = 0;
            for (CaseRow r : cases) if (reason.equals(r.knockReason)) n++;
            return n;
        }

        int knocksWithdrawn() {
            int n = 0;
            for (CaseRow r : cases) n += r.knocksCancelled;
            return n;
        }

        /** For stderr: how a category's door knocks came about and how much lead staff had. */
        String knockSummary(Category c) {
            Map<String, Integer> byReason = new java.util.TreeMap<>();
            Duration minLead = null;
            Duration maxLead = null;
            int idle = 0;
            Duration maxIdle = Duration.ZERO;
            for (CaseRow r : cases) {
                if (r.rc.category() != c || r.escalatedAt == null) continue;
                byReason.merge(r.knockReason, 1, Integer::sum);
                if (r.idleBeforeKnock != null) {
                    idle++;
                    if (r.idleBeforeKnock.compareTo(maxIdle) > 0) maxIdle = r.idleBeforeKnock;
                }
                Duration lead = Duration.between(r.escalatedAt, r.rc.deadlineAt());
                if (minLead == null || lead.compareTo(minLead) < 0) minLead = lead;
                if (maxLead == null || lead.compareTo(maxLead) > 0) maxLead = lead;
            }
            return c + ": reached in time " + reachedInTime(c) + ", door knocks " + byReason
                    + (minLead == null ? "" : ", lead " + minLead.toMinutes() + "–" + maxLead.toMinutes() + " min")
                    + (idle == 0 ? "" : ", " + idle + " of them had no call left and waited up to "
                    + maxIdle.toMinutes() + " min for the knock");
        }

        String minKnockLeadMinutes() {
            Duration min = null;
            for (CaseRow r : cases) {
                if (r.escalatedAt == null) continue;
                Duration lead = Duration.between(r.escalatedAt, r.rc.deadlineAt());
                if (min == null || lead.compareTo(min) < 0) min = lead;
            }
            return min == null ? "none" : String.format(Locale.ROOT, "%.1f", min.toMillis() / 60000.0);
        }
    }

    // ---------------------------------------------------------------- the outside world: time

    /** A Clock the simulation moves; everything of the server's reads time from it. */
    static final class VirtualClock extends Clock {
        private Instant now;

        VirtualClock(Instant start) {
            now = start;
        }

        void set(Instant t) {
            if (t.isBefore(now)) throw new IllegalStateException("virtual time must not go back: " + t + " < " + now);
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZONE;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this; // instants do not depend on the zone
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A timed event; at equal times the outside world (prio 0) goes before the jobs, then the jobs in order. */
    record Ev(Instant at, int prio, long seq, Runnable action) {}

    // ---------------------------------------------------------------- one simulated server

    static final class Sim {
        final Variant variant;
        final long seed;
        final VirtualClock clock = new VirtualClock(T0);
        final PriorityQueue<Ev> events = new PriorityQueue<>(Comparator.comparing(Ev::at)
                .thenComparingInt(Ev::prio).thenComparingLong(Ev::seq));
        long evSeq;
        int pendingOutside; // pushes not yet arrived and channel outcomes not yet reported
        final MemoryQueue mem;
        final AttemptQueue queue;

        Sim(Variant variant, long seed) {
            this.variant = variant;
            this.seed = seed;
            this.mem = new MemoryQueue(new CaseProgress(planner(variant)), variant);
            this.queue = mem.asAttemptQueue();
        }

        void at(Instant t, int prio, Runnable r) {
            events.add(new Ev(t, prio, evSeq++, r));
        }

        /** What the adapters get as Delays: the outcome becomes an event of the outside world. */
        void later(Duration d, Runnable r) {
            pendingOutside++;
            at(clock.instant().plus(d), 0, () -> {
                pendingOutside--;
                r.run();
            });
        }

        void every(BackgroundJob job, int prio) {
            Runnable[] self = new Runnable[1];
            self[0] = () -> {
                job.runOnce();
                at(clock.instant().plus(job.every()), prio, self[0]);
            };
            at(T0, prio, self[0]);
        }

        Result run() {
            long started = System.nanoTime();
            Delays delays = this::later;
            SimVoiceAdapter voice = new SimVoiceAdapter(seed, LINE, new Capacity(VOICE_CHANNELS, CALLS_PER_SECOND), delays);
            SimSmsAdapter sms = new SimSmsAdapter(seed, SMS_DELIVERED, SMS_DELAY,
                    new Capacity(Math.max(1, (int) SMS_PER_SECOND * 10), SMS_PER_SECOND), delays);
            String owner = "bench-" + variant.name().toLowerCase(Locale.ROOT);
            // Outcomes are applied at once, on the simulation's one thread (the server hands them to a worker).
            Dispatcher voiceDispatcher = new Dispatcher(voice, queue, clock, owner, VOICE_LEASE, Runnable::run);
            Dispatcher smsDispatcher = new Dispatcher(sms, queue, clock, owner, SMS_LEASE, Runnable::run);

            // The pushes: cases arrive as the intake would store them (status NEW, deadline from receipt).
            Deadlines deadlines = Deadlines.defaults();
            int serial = 0;
            for (Push p : PUSHES) {
                final int first = serial;
                serial += p.count();
                pendingOutside++;
                at(T0.plus(p.at()), 0, () -> {
                    pendingOutside--;
                    Instant now = clock.instant();
                    for (int i = 0; i < p.count(); i++) {
                        int n = first + i;
                        String id = CaseId.next(now);
                        mem.receive(new RiskCase(id, "overload-" + p.category().name().toLowerCase(Locale.ROOT),
                                "E" + n, "person " + n, String.format("+86138%08d", n), true, null, p.category(),
                                JURISDICTION, now, now, deadlines.deadlineFor(p.category(), now), CaseStatus.NEW));
                    }
                });
            }

            // The server's background jobs, each on its own period (Dispatching.start), in a fixed order per instant.
            List<BackgroundJob> jobs = new ArrayList<>();
            jobs.add(new PlanNewCasesJob(queue, clock));
            jobs.add(new EscalationJob(queue, clock));
            if (variant == Variant.OURS) jobs.add(forecastJob(queue, mem, clock));
            jobs.add(new ReapLeasesJob(queue, clock));
            jobs.add(new DispatchJob(voiceDispatcher, "dispatch-voice"));
            jobs.add(new DispatchJob(smsDispatcher, "dispatch-sms"));
            for (int i = 0; i < jobs.size(); i++) every(jobs.get(i), i + 1);

            Instant lastDeadline = T0;
            for (Push p : PUSHES) {
                Instant d = deadlines.deadlineFor(p.category(), T0.plus(p.at()));
                if (d.isAfter(lastDeadline)) lastDeadline = d;
            }
            Instant giveUp = lastDeadline.plus(Duration.ofDays(1));
            long steps = 0;
            // Until nothing can change any more: every case settled (reached or with a door-knock team), no attempt
            // planned or in flight, nothing left to arrive. Deadlines that pass after that change no figure.
            while (pendingOutside > 0 || !mem.settled()) {
                Ev e = events.poll();
                clock.set(e.at());
                if (e.at().isAfter(giveUp)) throw new IllegalStateException(variant + " did not settle by " + giveUp);
                e.action().run();
                steps++;
            }
            Result r = new Result(variant, mem.rows);
            r.voiceCalls = mem.voiceCalls;
            // The line's use over the phone window of the rules: first receipt to the last escalation point.
            ContactPlanner rules = planner(Variant.OURS);
            Instant windowEnd = T0;
            for (CaseRow row : mem.rows) {
                Instant e = rules.escalateAt(row.rc);
                if (e.isAfter(windowEnd)) windowEnd = e;
            }
            r.lineBusyShare = mem.busySeconds(T0, windowEnd) / (VOICE_CHANNELS * Duration.between(T0, windowEnd).toSeconds());
            System.err.printf(Locale.ROOT, "%s: settled at %s after %d events in %.1f s wall (forecast: %s)%n",
                    variant, clock.instant().atZone(ZONE).toLocalTime(), steps, (System.nanoTime() - started) / 1e9,
                    variant == Variant.OURS ? forecastSource : "none");
            for (Push p : PUSHES) System.err.println("  " + r.knockSummary(p.category()));
            mem.warnings().forEach(w -> System.err.println("WARNING " + variant + ": " + w));
            return r;
        }

        String forecastSource = "none";

        /**
         * The capacity forecast job. When the jar has the server's own (dispatch.ForecastJob around
         * dispatch.CapacityCheck), that is run; otherwise this bench runs the same steps: the next planned call of
         * every case awaiting contact in the dispatcher's order, CapacityForecast.shortfall with the line's
         * throughput, escalateNow(CAPACITY_SHORTFALL) in chunks of 500, every 30 s.
         */
        BackgroundJob forecastJob(AttemptQueue queue, MemoryQueue mem, Clock clock) {
            double throughput = CapacityForecast.throughput(VOICE_CHANNELS, CALLS_PER_SECOND, meanHold());
            try {
                Class<?> checkClass = Class.forName("org.screening.outreach.dispatch.CapacityCheck");
                Class<?> jobClass = Class.forName("org.screening.outreach.dispatch.ForecastJob");
                Constructor<?> checkNew = checkClass.getConstructor(AttemptQueue.class, Clock.class, double.class,
                        IntConsumer.class);
                Object check = checkNew.newInstance(queue, clock, throughput, (IntConsumer) n -> {});
                BackgroundJob job = (BackgroundJob) jobClass.getConstructor(checkClass).newInstance(check);
                forecastSource = "server ForecastJob/CapacityCheck";
                return job;
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                forecastSource = "bench copy (the jar has no dispatch.CapacityCheck)";
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build the server's capacity check", e);
            }
            return new BackgroundJob() {
                @Override
                public String name() {
                    return "capacity-forecast";
                }

                @Override
                public Duration every() {
                    return Duration.ofSeconds(30);
                }

                @Override
                public int runOnce() {
                    Instant now = clock.instant();
                    List<String> late = CapacityForecast.shortfall(mem.waitingCalls(500_000), now, throughput);
                    int escalated = 0;
                    for (int i = 0; i < late.size(); i += 500) {
                        escalated += queue.escalateNow(late.subList(i, Math.min(late.size(), i + 500)),
                                DoorKnockTask.CAPACITY_SHORTFALL, now);
                    }
                    return escalated;
                }
            };
        }
    }

    // ---------------------------------------------------------------- the outside world: storage

    /** One row of `cases` plus what the bench records about it. */
    static final class CaseRow {
        RiskCase rc;
        Instant escalateAt; // cases.escalate_at: NULL until planned
        final List<Attempt> attempts = new ArrayList<>(4);
        boolean knockOpen;
        int knocks;
        int knocksCancelled;
        String knockReason;
        Instant reachedAt;
        Instant escalatedAt;
        boolean inEscalationIndex;
        Instant lastCallEnd;
        /** Set when the case went to a door knock with no call planned or in flight: time since its last call. */
        Duration idleBeforeKnock;

        CaseRow(RiskCase rc) {
            this.rc = rc;
        }
    }

    enum AttemptStatus { PLANNED, CLAIMED, DONE, CANCELLED }

    /** One row of `attempts`. */
    static final class Attempt {
        final long id;
        final CaseRow row;
        final ChannelKind kind;
        final int seq;
        Instant dueAt;
        final Instant deadlineAt;
        AttemptStatus status = AttemptStatus.PLANNED;
        String leaseOwner;
        Instant leaseUntil;
        int claims;
        AttemptOutcome outcome;
        Instant claimedAt;

        Attempt(long id, CaseRow row, ChannelKind kind, int seq, Instant dueAt, Instant deadlineAt) {
            this.id = id;
            this.row = row;
            this.kind = kind;
            this.seq = seq;
            this.dueAt = dueAt;
            this.deadlineAt = deadlineAt;
        }
    }

    static final Comparator<Attempt> BY_DUE = Comparator.comparing((Attempt a) -> a.dueAt).thenComparingLong(a -> a.id);
    /** JdbcAttemptQueue.claim: ORDER BY deadline_at, due_at, id. */
    static final Comparator<Attempt> EDF = Comparator.comparing((Attempt a) -> a.deadlineAt)
            .thenComparing(a -> a.dueAt).thenComparingLong(a -> a.id);
    static final Comparator<CaseRow> NEW_ORDER = Comparator.comparing((CaseRow r) -> r.rc.deadlineAt())
            .thenComparing(r -> r.rc.id());
    static final Comparator<CaseRow> ESCALATION_ORDER = Comparator.comparing((CaseRow r) -> r.escalateAt)
            .thenComparing(r -> r.rc.id());

    /**
     * JdbcAttemptQueue in memory, statement for statement: the same CaseProgress decisions, the same effects of
     * each Step (status change with its from-status check, planned calls cancelled, door knocks withdrawn, next
     * call inserted once per (case, kind, seq)), the same orders. The FIFO variant changes claim order only — due
     * attempts by (due_at, id) instead of (deadline_at, due_at, id) — and never hands a case over before breach.
     */
    static final class MemoryQueue {
        final CaseProgress progress;
        final Variant variant;
        final List<CaseRow> rows = new ArrayList<>();
        final Map<String, CaseRow> byId = new HashMap<>();
        final TreeSet<CaseRow> fresh = new TreeSet<>(NEW_ORDER); // status NEW
        final TreeSet<CaseRow> escalation = new TreeSet<>(ESCALATION_ORDER); // NEW/CONTACTING with escalate_at
        final Map<Long, Attempt> attempts = new HashMap<>();
        final Map<ChannelKind, TreeSet<Attempt>> notYetDue = new EnumMap<>(ChannelKind.class); // PLANNED, by due
        final Map<ChannelKind, TreeSet<Attempt>> due = new EnumMap<>(ChannelKind.class); // PLANNED, due, claim order
        final TreeSet<Attempt> plannedVoice = new TreeSet<>(EDF); // every PLANNED call, for waitingCalls
        final List<Attempt> claimed = new ArrayList<>();
        long nextAttemptId = 1;
        int planned;
        int awaiting;
        long ledgerEvents;
        long voiceCalls;
        final List<double[]> holds = new ArrayList<>(); // [start, end] epoch seconds of every call
        // sanity checks on the server's rules, reported as warnings
        int callsClaimedForSettledCases;
        int lateEscalations;
        Duration worstEscalationDelay = Duration.ZERO;

        MemoryQueue(CaseProgress progress, Variant variant) {
            this.progress = progress;
            this.variant = variant;
            for (ChannelKind k : ChannelKind.values()) {
                notYetDue.put(k, new TreeSet<>(BY_DUE));
                due.put(k, new TreeSet<>(variant == Variant.FIFO ? BY_DUE : EDF));
            }
        }

        /**
         * The queue as the server's AttemptQueue. A dynamic proxy rather than "implements": the interface is
         * growing (waitingCalls, countShortfall) and the bench must run on the jar at hand, older or newer.
         */
        AttemptQueue asAttemptQueue() {
            InvocationHandler h = (proxy, m, a) -> {
                switch (m.getName()) {
                    case "planNewCases": return planNewCases((Instant) a[0], (Integer) a[1]);
                    case "claim": return claim((ChannelKind) a[0], (Instant) a[1], (Integer) a[2], (String) a[3],
                            (Instant) a[4]);
                    case "complete": {
                        @SuppressWarnings("unchecked") Map<String, Object> details = (Map<String, Object>) a[2];
                        return complete((Long) a[0], (AttemptOutcome) a[1], details, (Instant) a[a.length - 1]);
                    }
                    case "reapExpiredLeases": return reapExpiredLeases((Instant) a[0]);
                    case "escalateDue": return escalateDue((Instant) a[0], (Integer) a[1]);
                    case "escalateNow": {
                        @SuppressWarnings("unchecked") List<String> ids = (List<String>) a[0];
                        return escalateNow(ids, (String) a[1], (Instant) a[2]);
                    }
                    case "waitingCalls": return waitingCalls((Integer) a[0]);
                    case "countShortfall": return countShortfall((String) a[0], (Instant) a[1]);
                    case "toString": return "MemoryQueue(" + variant + ")";
                    case "hashCode": return System.identityHashCode(proxy);
                    case "equals": return proxy == a[0];
                    default:
                        if (m.isDefault()) {
                            try {
                                return InvocationHandler.invokeDefault(proxy, m, a);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                        throw new UnsupportedOperationException("AttemptQueue." + m.getName() + " is new: mirror it in "
                                + "bench/deadlines/DeadlineBench.java (MemoryQueue) as JdbcAttemptQueue does it");
                }
            };
            return (AttemptQueue) Proxy.newProxyInstance(AttemptQueue.class.getClassLoader(),
                    new Class<?>[] {AttemptQueue.class}, h);
        }

        /** The intake's INSERT INTO cases (status NEW). */
        void receive(RiskCase rc) {
            CaseRow row = new CaseRow(rc);
            rows.add(row);
            byId.put(rc.id(), row);
            fresh.add(row);
            awaiting++;
            ledgerEvents++; // RECEIVED
        }

        boolean settled() {
            return fresh.isEmpty() && awaiting == 0 && planned == 0 && claimed.isEmpty();
        }

        // --- AttemptQueue

        int planNewCases(Instant now, int limit) {
            // status = 'NEW' ORDER BY deadline_at LIMIT ?
            List<CaseRow> batch = new ArrayList<>();
            Iterator<CaseRow> it = fresh.iterator();
            while (it.hasNext() && batch.size() < limit) batch.add(it.next());
            for (CaseRow row : batch) {
                CaseProgress.Start start = progress.start(row.rc, now);
                for (ContactPlanner.PlannedAttempt a : start.plan().attempts()) insertAttempt(row, a);
                row.escalateAt = start.plan().escalateAt();
                syncIndexes(row);
                ledgerEvents++; // PLANNED
                applyStatusChange(row, start.change());
            }
            return batch.size();
        }

        List<OutboundAttempt> claim(ChannelKind kind, Instant now, int limit, String owner, Instant leaseUntil) {
            if (limit <= 0) return List.of();
            // status = 'PLANNED' AND kind = ? AND due_at <= ? ORDER BY (variant's order) LIMIT ?
            TreeSet<Attempt> waiting = notYetDue.get(kind);
            TreeSet<Attempt> ready = due.get(kind);
            while (!waiting.isEmpty() && !waiting.first().dueAt.isAfter(now)) ready.add(waiting.pollFirst());
            List<OutboundAttempt> out = new ArrayList<>();
            while (!ready.isEmpty() && out.size() < limit) {
                Attempt a = ready.pollFirst();
                if (a.kind == ChannelKind.VOICE) plannedVoice.remove(a);
                planned--;
                a.status = AttemptStatus.CLAIMED;
                a.leaseOwner = owner;
                a.leaseUntil = leaseUntil;
                a.claims++;
                a.claimedAt = now;
                claimed.add(a);
                if (a.kind == ChannelKind.VOICE) {
                    voiceCalls++;
                    if (!CaseProgress.awaitingContact(a.row.rc.status())) callsClaimedForSettledCases++;
                }
                RiskCase rc = a.row.rc;
                out.add(new OutboundAttempt(a.id, rc.id(), a.kind, a.seq, rc.phone(), rc.name(), rc.category(),
                        rc.jurisdiction(), rc.deadlineAt()));
            }
            return out;
        }

        boolean complete(long attemptId, AttemptOutcome outcome, Map<String, Object> details, Instant now) {
            // UPDATE attempts SET status = 'DONE' ... WHERE id = ? AND status IN ('CLAIMED', 'PLANNED')
            Attempt a = attempts.get(attemptId);
            if (a == null || (a.status != AttemptStatus.CLAIMED && a.status != AttemptStatus.PLANNED)) return false;
            if (a.status == AttemptStatus.PLANNED) unplan(a);
            else claimed.remove(a);
            a.status = AttemptStatus.DONE;
            a.outcome = outcome;
            a.leaseOwner = null;
            if (a.kind == ChannelKind.VOICE && a.claimedAt != null) {
                holds.add(new double[] {seconds(a.claimedAt), seconds(now)});
            }
            if (a.kind == ChannelKind.VOICE) a.row.lastCallEnd = now;
            CaseRow row = a.row;
            CaseProgress.Step step = progress.afterAttempt(row.rc, a.kind, a.id, a.seq, a.dueAt, outcome, details, now);
            if (variant == Variant.FIFO && step.doorKnock().isPresent()) {
                // The baseline hands over only at breach: an exhausted plan just waits for the deadline.
                step = new CaseProgress.Step(List.of(), false, false, java.util.Optional.empty(),
                        step.events(), java.util.Optional.empty());
            }
            apply(row, step, now);
            return true;
        }

        int reapExpiredLeases(Instant now) {
            // UPDATE attempts SET status = 'PLANNED' ... WHERE status = 'CLAIMED' AND lease_until < ?
            int n = 0;
            for (Iterator<Attempt> it = claimed.iterator(); it.hasNext(); ) {
                Attempt a = it.next();
                if (a.leaseUntil.isBefore(now)) {
                    it.remove();
                    a.status = AttemptStatus.PLANNED;
                    a.leaseOwner = null;
                    a.leaseUntil = null;
                    plan(a);
                    n++;
                }
            }
            return n;
        }

        int escalateDue(Instant now, int limit) {
            // status IN ('NEW', 'CONTACTING') AND escalate_at <= ? ORDER BY escalate_at LIMIT ?
            List<CaseRow> dueNow = new ArrayList<>();
            for (CaseRow row : escalation) {
                if (dueNow.size() >= limit || row.escalateAt.isAfter(now)) break;
                dueNow.add(row);
            }
            for (CaseRow row : dueNow) {
                Duration delay = Duration.between(row.escalateAt, now);
                if (delay.compareTo(worstEscalationDelay) > 0) worstEscalationDelay = delay;
                if (delay.compareTo(Duration.ofSeconds(5)) > 0) lateEscalations++;
                escalate(row, DoorKnockTask.NOT_REACHED, now);
            }
            return dueNow.size();
        }

        int escalateNow(List<String> caseIds, String reason, Instant now) {
            int n = 0;
            for (String id : caseIds) {
                CaseRow row = byId.get(id);
                if (row == null || !CaseProgress.awaitingContact(row.rc.status())) continue;
                escalate(row, reason, now);
                n++;
            }
            return n;
        }

        /** a.status = 'PLANNED' AND a.kind = 'VOICE' AND c.status IN ('NEW', 'CONTACTING') ORDER BY deadline_at, due_at, id. */
        List<CapacityForecast.Waiting> waitingCalls(int limit) {
            List<CapacityForecast.Waiting> out = new ArrayList<>();
            for (Attempt a : plannedVoice) {
                if (out.size() >= limit) break;
                if (!CaseProgress.awaitingContact(a.row.rc.status())) continue;
                out.add(new CapacityForecast.Waiting(a.row.rc.id(), a.dueAt, a.row.escalateAt));
            }
            return out;
        }

        int countShortfall(String source, Instant since) {
            int n = 0;
            for (CaseRow row : rows) {
                if (DoorKnockTask.CAPACITY_SHORTFALL.equals(row.knockReason) && row.rc.source().equals(source)
                        && !row.rc.receivedAt().isBefore(since)) n++;
            }
            return n;
        }

        // --- the statements behind them

        private void apply(CaseRow row, CaseProgress.Step step, Instant now) {
            ledgerEvents += step.events().size();
            for (RiskCase.StatusChange ch : step.changes()) {
                if (!applyStatusChange(row, ch)) break;
            }
            if (step.cancelCalls()) cancelPlannedCalls(row);
            if (step.cancelDoorKnocks()) cancelDoorKnocks(row);
            step.nextCall().ifPresent(a -> insertAttempt(row, a));
            step.doorKnock().ifPresent(reason -> createDoorKnock(row, reason, now));
        }

        /** createDoorKnock: a task due at the deadline, and its ledger event. */
        private void createDoorKnock(CaseRow row, String reason, Instant now) {
            boolean callLeft = false;
            for (Attempt a : row.attempts) {
                if (a.kind == ChannelKind.VOICE && (a.status == AttemptStatus.PLANNED || a.status == AttemptStatus.CLAIMED)) {
                    callLeft = true;
                }
            }
            if (!callLeft && row.lastCallEnd != null) row.idleBeforeKnock = Duration.between(row.lastCallEnd, now);
            row.knocks++;
            row.knockOpen = true;
            row.knockReason = reason;
            ledgerEvents++;
        }

        private void escalate(CaseRow row, String reason, Instant now) {
            apply(row, progress.escalate(row.rc, reason, now), now);
        }

        /** Sql.applyStatusChange: UPDATE cases SET status = ? WHERE id = ? AND status = <from>; false if moved. */
        private boolean applyStatusChange(CaseRow row, RiskCase.StatusChange ch) {
            String from = String.valueOf(ch.event().data().get("from"));
            if (!row.rc.status().name().equals(from)) return false;
            boolean wasAwaiting = CaseProgress.awaitingContact(row.rc.status());
            if (row.rc.status() == CaseStatus.NEW) fresh.remove(row);
            row.rc = ch.after();
            boolean isAwaiting = CaseProgress.awaitingContact(row.rc.status());
            if (wasAwaiting && !isAwaiting) awaiting--;
            if (!wasAwaiting && isAwaiting) awaiting++;
            syncIndexes(row);
            ledgerEvents++;
            Instant at = ch.event().at();
            if (row.rc.status() == CaseStatus.REACHED && row.reachedAt == null) row.reachedAt = at;
            if (row.rc.status() == CaseStatus.DOOR_KNOCK && row.escalatedAt == null) row.escalatedAt = at;
            return true;
        }

        private void syncIndexes(CaseRow row) {
            boolean member = CaseProgress.awaitingContact(row.rc.status()) && row.escalateAt != null;
            if (member && !row.inEscalationIndex) escalation.add(row);
            if (!member && row.inEscalationIndex) escalation.remove(row);
            row.inEscalationIndex = member;
        }

        /** UPDATE attempts SET status = 'CANCELLED' WHERE case_id = ? AND kind = 'VOICE' AND status = 'PLANNED'. */
        private void cancelPlannedCalls(CaseRow row) {
            for (Attempt a : row.attempts) {
                if (a.kind == ChannelKind.VOICE && a.status == AttemptStatus.PLANNED) {
                    unplan(a);
                    a.status = AttemptStatus.CANCELLED;
                }
            }
        }

        private void cancelDoorKnocks(CaseRow row) {
            if (row.knockOpen) {
                row.knockOpen = false;
                row.knocksCancelled++;
                ledgerEvents++; // DOOR_KNOCK_CANCELLED
            }
        }

        /** INSERT IGNORE INTO attempts (case_id, kind, seq, due_at, deadline_at, status 'PLANNED'). */
        private void insertAttempt(CaseRow row, ContactPlanner.PlannedAttempt p) {
            for (Attempt a : row.attempts) if (a.kind == p.kind() && a.seq == p.seq()) return;
            Attempt a = new Attempt(nextAttemptId++, row, p.kind(), p.seq(), p.dueAt(), row.rc.deadlineAt());
            row.attempts.add(a);
            attempts.put(a.id, a);
            plan(a);
        }

        private void plan(Attempt a) {
            notYetDue.get(a.kind).add(a);
            if (a.kind == ChannelKind.VOICE) plannedVoice.add(a);
            planned++;
        }

        private void unplan(Attempt a) {
            if (!notYetDue.get(a.kind).remove(a)) due.get(a.kind).remove(a);
            if (a.kind == ChannelKind.VOICE) plannedVoice.remove(a);
            planned--;
        }

        static double seconds(Instant t) {
            return t.getEpochSecond() + t.getNano() / 1e9;
        }

        /** Channel-seconds of calls inside [from, to]. */
        double busySeconds(Instant from, Instant to) {
            double f = seconds(from);
            double t = seconds(to);
            double sum = 0;
            for (double[] h : holds) sum += Math.max(0, Math.min(h[1], t) - Math.max(h[0], f));
            return sum;
        }

        List<String> warnings() {
            List<String> w = new ArrayList<>();
            if (callsClaimedForSettledCases > 0) {
                w.add(callsClaimedForSettledCases + " calls were claimed for cases no longer awaiting contact");
            }
            if (lateEscalations > 0) {
                w.add(lateEscalations + " cases escalated more than 5 s after their escalation point (worst "
                        + worstEscalationDelay + ")");
            }
            return w;
        }
    }
}

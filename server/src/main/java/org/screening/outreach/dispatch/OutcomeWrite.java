package org.screening.outreach.dispatch;

/**
 * A database write of something a provider already told us (an outcome, an acceptance, a campaign batch), handed to
 * the outcome executor, which tries it again while the database is unavailable: lost, the work would be sent a
 * second time once its lease ran out. {@code what} names it in the log, never with personal data.
 */
public record OutcomeWrite(String what, Runnable write) implements Runnable {
    @Override
    public void run() {
        write.run();
    }

    @Override
    public String toString() {
        return what;
    }
}

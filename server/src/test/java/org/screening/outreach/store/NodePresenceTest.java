package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.dispatch.NodePresenceJob;
import org.screening.outreach.dispatch.NodeShare;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MutableClock;

/** Dispatching nodes find each other through the database and split the provider limits; a dead one drops out. */
@Tag("db")
class NodePresenceTest {
    @Test
    void nodesSeeEachOtherAndTakeBackTheShareOfOneThatLeftOrDied() {
        try (MariaDbExtension.TestDb db = MariaDbExtension.freshSchema()) {
            MutableClock clock = new MutableClock(Instant.parse("2022-04-01T02:00:00Z"));
            JdbcNodePresence presence = new JdbcNodePresence(db.database());
            NodeShare a = NodeShare.alone();
            NodeShare b = NodeShare.alone();
            NodeShare c = NodeShare.alone();
            NodePresenceJob jobA = new NodePresenceJob(presence, a, "node-a", clock);
            NodePresenceJob jobB = new NodePresenceJob(presence, b, "node-b", clock);
            NodePresenceJob jobC = new NodePresenceJob(presence, c, "node-c", clock);
            jobA.runOnce();
            assertThat(a.nodes()).isEqualTo(1);
            jobB.runOnce();
            jobC.runOnce();
            jobA.runOnce();
            assertThat(a.nodes()).isEqualTo(3);
            assertThat(a.rate(90)).isEqualTo(30);

            jobC.returnClaims(); // graceful stop
            jobA.runOnce();
            assertThat(a.nodes()).isEqualTo(2);

            // node-b is killed: it stops beating and drops out once it has been silent past GONE.
            clock.advance(NodePresenceJob.GONE);
            jobA.runOnce();
            assertThat(a.nodes()).as("silent exactly GONE: still counted").isEqualTo(2);
            clock.advance(Duration.ofSeconds(1));
            jobA.runOnce();
            assertThat(a.nodes()).isEqualTo(1);
            assertThat(a.rate(90)).isEqualTo(90);
        }
    }
}

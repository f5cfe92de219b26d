package org.screening.outreach.web.webhooks.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.store.StoreException;

/** The spool on disk and its replay job, with the database stood in for by switches (no JDBC here). */
class WebhookSpoolTest {
    static final Instant T0 = Instant.parse("2022-04-01T01:00:00Z");
    static final String PATH = "/webhooks/twilio/sms/status";

    @TempDir
    Path dir;
    final List<String> applied = new ArrayList<>();
    final AtomicBoolean databaseUp = new AtomicBoolean(true);
    final AtomicInteger spooled = new AtomicInteger();
    final AtomicInteger replayed = new AtomicInteger();
    final AtomicInteger setAside = new AtomicInteger();
    /** Ids the store refuses while the database answers (a row it cannot take). */
    final List<String> refused = new ArrayList<>();

    WebhookSpool spool() {
        return new WebhookSpool(dir);
    }

    ReplaySpooledCallbacksJob job(WebhookSpool spool) {
        CallbackApplier status = c -> c.query("attemptId") == null ? Optional.empty() : Optional.of(() -> {
            if (!databaseUp.get()) throw new StoreException("storing an SMS status failed", new SQLTransientConnectionException("down"));
            if (refused.contains(c.query("attemptId"))) throw new StoreException("storing an SMS status failed", null);
            applied.add(c.query("attemptId") + "@" + c.receivedAt());
        });
        return new ReplaySpooledCallbacksJob(spool, Map.of(PATH, status), databaseUp::get,
                new SpoolCounters(spooled::incrementAndGet, replayed::incrementAndGet, setAside::incrementAndGet));
    }

    static WebhookCallback callback(String attemptId, Instant at) {
        return new WebhookCallback(PATH, Map.of("attemptId", attemptId),
                Map.of("MessageStatus", "delivered", "To", "+8613912345678", "Body", "退订 <&>\"'\n"), at);
    }

    @Test
    void aCallbackSurvivesTheTripToDiskWhole() throws IOException {
        WebhookSpool spool = spool();
        WebhookCallback c = callback("7", T0);
        Path file = spool.write(c);
        assertThat(spool.read(file)).isEqualTo(c);
        assertThat(spool.waitingCount()).isEqualTo(1);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(file.getFileName().toString(), "failed");
        }
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    /** The spool as the server builds it: sealed with the personal-data key. */
    static WebhookSpool.Sealing sealing(org.screening.outreach.privacy.IdNumbers keys) {
        return new WebhookSpool.Sealing() {
            public String seal(String text) {
                return keys.cipher().seal(text);
            }

            public String open(String sealed) {
                return keys.cipher().open(sealed);
            }
        };
    }

    @Test
    void aSealedSpoolKeepsNoPhoneNumberReadableOnDiskAndStillReadsFilesOfEarlierVersions() throws IOException {
        var keys = org.screening.outreach.support.TestIdKeys.keys();
        WebhookSpool spool = new WebhookSpool(dir, sealing(keys));
        WebhookCallback c = callback("8", T0);
        Path sealed = spool.write(c);
        String onDisk = Files.readString(sealed);
        assertThat(onDisk).doesNotContain("13912345678").doesNotContain("MessageStatus").doesNotContain("delivered");
        assertThat(spool.read(sealed)).isEqualTo(c);

        Path plain = new WebhookSpool(dir).write(callback("9", T0.plusSeconds(1))); // written before sealing existed
        assertThat(spool.read(plain)).isEqualTo(callback("9", T0.plusSeconds(1)));

        // Sealed under a key this node does not have (another deployment's disk): set aside, not applied.
        var other = org.screening.outreach.privacy.IdNumbers.of(org.screening.outreach.support.TestIdKeys.key(7),
                List.of(), org.screening.outreach.support.TestIdKeys.key(8));
        Path foreign = new WebhookSpool(dir, sealing(other)).write(callback("10", T0.plusSeconds(2)));
        assertThatThrownBy(() -> spool.read(foreign)).isInstanceOf(IllegalArgumentException.class);
        assertThat(job(spool).runOnce()).isEqualTo(2);
        assertThat(applied).containsExactly("8@" + T0, "9@" + T0.plusSeconds(1));
        assertThat(setAside.get()).isEqualTo(1);
    }

    @Test
    void replayAppliesInArrivalOrderAndDeletesEachFile() throws IOException {
        WebhookSpool spool = spool();
        spool.write(callback("2", T0.plusSeconds(5)));
        spool.write(callback("1", T0));
        spool.write(callback("3", T0.plusSeconds(5))); // same millisecond as "2", arrived after it
        assertThat(job(spool).runOnce()).isEqualTo(3);
        assertThat(applied).containsExactly("1@" + T0, "2@" + T0.plusSeconds(5), "3@" + T0.plusSeconds(5));
        assertThat(spool.waiting()).isEmpty();
        assertThat(spool.hasWaiting()).isFalse();
        assertThat(replayed).hasValue(3);
    }

    @Test
    void whileTheDatabaseIsDownNothingIsTouched() throws IOException {
        WebhookSpool spool = spool();
        spool.write(callback("1", T0));
        databaseUp.set(false);
        ReplaySpooledCallbacksJob job = job(spool);
        for (int i = 0; i < 5; i++) assertThat(job.runOnce()).isZero();
        assertThat(spool.waiting()).hasSize(1);
        assertThat(setAside).hasValue(0);
        databaseUp.set(true);
        assertThat(job.runOnce()).isEqualTo(1);
        assertThat(applied).containsExactly("1@" + T0);
    }

    @Test
    void aCallbackTheStoreKeepsRefusingIsSetAsideAfterItsTriesAndTheOthersFollowInOrder() throws IOException {
        WebhookSpool spool = spool();
        spool.write(callback("1", T0));
        spool.write(callback("2", T0.plusSeconds(1)));
        refused.add("1");
        ReplaySpooledCallbacksJob job = job(spool);
        for (int i = 1; i < ReplaySpooledCallbacksJob.TRIES; i++) {
            assertThat(job.runOnce()).isZero();
            assertThat(applied).as("nothing overtakes a callback that may still apply").isEmpty();
        }
        assertThat(job.runOnce()).isEqualTo(1);
        assertThat(applied).containsExactly("2@" + T0.plusSeconds(1));
        assertThat(setAside).hasValue(1);
        try (Stream<Path> s = Files.list(dir.resolve("failed"))) {
            assertThat(s.toList()).singleElement().satisfies(f -> assertThat(spool.read(f).query("attemptId")).isEqualTo("1"));
        }
    }

    @Test
    void damagedAndForeignFilesAreSetAsideAndCounted() throws IOException {
        WebhookSpool spool = spool();
        spool.write(callback("1", T0));
        Files.writeString(dir.resolve("0000000000000-000000001-cut.json"), "{\"format\":\"outreach.webhook-callback/1\",\"pa");
        Files.write(dir.resolve("0000000000000-000000002-bytes.json"), new byte[] {(byte) 0xff, 0, 1});
        Files.writeString(dir.resolve("0000000000000-000000003-other.json"), "{\"format\":\"something-else\"}");
        spool.write(new WebhookCallback("/webhooks/elsewhere", Map.of(), Map.of(), T0)); // no webhook serves it
        spool.write(new WebhookCallback(PATH, Map.of(), Map.of("MessageStatus", "sent"), T0)); // nothing to apply
        assertThat(job(spool).runOnce()).isEqualTo(1);
        assertThat(applied).containsExactly("1@" + T0);
        assertThat(setAside).hasValue(5);
        try (Stream<Path> s = Files.list(dir.resolve("failed"))) {
            assertThat(s.count()).isEqualTo(5);
        }
        assertThat(spool.waiting()).isEmpty();
    }

    @Test
    void filesLeftByAnEarlierRunWaitAndHalfWrittenOnesAreDropped() throws IOException {
        spool().write(callback("1", T0));
        Files.writeString(dir.resolve(".0000000000002-000000001-crashed.tmp"), "{\"format\":");
        WebhookSpool restarted = spool();
        assertThat(restarted.hasWaiting()).isTrue();
        assertThat(restarted.waitingCount()).isEqualTo(1);
        assertThat(dir.resolve(".0000000000002-000000001-crashed.tmp")).doesNotExist();
        assertThat(job(restarted).runOnce()).isEqualTo(1);
    }

    @Test
    void aFileIsRecognisedOnlyInItsOwnFormat() {
        assertThatThrownBy(() -> WebhookCallback.fromJson("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookCallback.fromJson(("{\"format\":\"outreach.webhook-callback/1\",\"path\":\"/x\","
                + "\"receivedAt\":\"yesterday\",\"query\":{},\"form\":{}}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookCallback.fromJson(("{\"format\":\"outreach.webhook-callback/1\",\"path\":\"/x\","
                + "\"receivedAt\":\"2022-04-01T01:00:00Z\",\"query\":{\"a\":1},\"form\":{}}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package org.screening.outreach.channels.voice.asterisk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.CommunityNames;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.IvrEngine;
import org.screening.outreach.ivr.IvrScripts;
import org.screening.outreach.support.Await;

/**
 * One PBX on loopback for a test: the fake AMI server, the fake Asterisk's AGI side, and the adapter under test
 * logged in to the former and serving the latter, conversations stored in memory. Dates of the IVR are those of
 * 2022-04-20 in Asia/Shanghai.
 */
final class AsteriskRig implements AutoCloseable {
    static final String USER = "outreach";
    static final String SECRET = "s3cret-for-tests";
    static final Path SCRIPTS = Path.of("..", "ivr-scripts");
    static final Path MANAGER_CONF = Path.of("..", "deploy", "asterisk", "manager.conf");
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Clock CLOCK = Clock.fixed(LocalDate.of(2022, 4, 20).atTime(10, 0).atZone(ZONE).toInstant(), ZONE);
    static final Duration WAIT = Duration.ofSeconds(20);

    private static final String MARKER_NUMBER = "19999999999";
    private int markers;

    final FakeAmiServer ami;
    final FakeAsterisk pbx;
    final InMemoryCallSessions sessions = new InMemoryCallSessions();
    final RecordingSink sink = new RecordingSink();
    final KeptBrokenOff brokenOff = new KeptBrokenOff();
    /** Community names by division code, as PUT /api/v1/communities registers them (every call is in 510104001001). */
    final Map<String, String> communityNames = new ConcurrentHashMap<>();
    final AsteriskSettings settings;
    final Conversations conversations;
    final AsteriskVoiceAdapter adapter;

    private AsteriskRig(UnaryOperator<AsteriskSettings> tweak, boolean pbxUp) throws IOException {
        this(new FakeAmiServer(USER, SECRET), tweak, pbxUp);
    }

    private AsteriskRig(FakeAmiServer fakeAmi, UnaryOperator<AsteriskSettings> tweak, boolean pbxUp) throws IOException {
        ami = fakeAmi;
        ami.channelvars(sampleChannelvars());
        if (!pbxUp) ami.pause();
        int agiPort = freePort();
        pbx = new FakeAsterisk(agiPort).channelsOn(ami);
        settings = tweak.apply(AsteriskSettings.defaults("127.0.0.1", USER, SECRET)
                .withPbxName("pbx-test")
                .withAmiPort(ami.port())
                .withAgi("127.0.0.1", agiPort, List.of("127.0.0.1"))
                .withTimers(Duration.ofMillis(200), Duration.ofSeconds(5)));
        conversations = new Conversations(IvrScripts.loadDirectory(SCRIPTS), "screening-call", "zh-CN",
                new IvrEngine(CLOCK), sessions, CLOCK, code -> new CommunityNames(communityNames).named(code));
        adapter = AsteriskVoiceAdapter.start(settings, conversations, brokenOff, CLOCK);
        if (pbxUp) Await.until("AMI login", WAIT, adapter::amiConnected);
    }

    static AsteriskRig start() throws IOException {
        return new AsteriskRig(s -> s, true);
    }

    static AsteriskRig start(UnaryOperator<AsteriskSettings> tweak) throws IOException {
        return new AsteriskRig(tweak, true);
    }

    /** The PBX's AMI listening on {@code amiAddress} only; {@code tweak} points the settings at it. */
    static AsteriskRig startWithAmiOn(InetAddress amiAddress, java.util.function.BiFunction<AsteriskSettings, Integer,
            AsteriskSettings> tweak) throws IOException {
        FakeAmiServer ami = new FakeAmiServer(USER, SECRET, amiAddress);
        return new AsteriskRig(ami, s -> tweak.apply(s, ami.port()), true);
    }

    /** The server starts while the PBX refuses connections; {@code ami.resume()} brings it up. */
    static AsteriskRig startWithPbxDown() throws IOException {
        return new AsteriskRig(s -> s, false);
    }

    /** A VOICE attempt to {@code phone} that the conversation store knows. */
    OutboundAttempt attempt(long id, String phone) {
        return attempt(id, phone, CaseLanguage.ZH_CN);
    }

    /** The same, of a case in {@code language}. */
    OutboundAttempt attempt(long id, String phone, CaseLanguage language) {
        sessions.add(id, "case-" + id, "张三", language.tag());
        return new OutboundAttempt(id, "case-" + id, ChannelKind.VOICE, 1, phone, "张三", Category.RED, "510104001001",
                CLOCK.instant().plusSeconds(7200), language);
    }

    /** Scripts {@code phone} (national digits) to answer and key {@code inputs} over FastAGI. */
    void answers(String national, String... inputs) {
        ami.script(national, FakeAmiServer.Outcome.answer((id, uid) -> pbx.call(id, uid, inputs)));
    }

    void awaitReport(long attemptId) {
        Await.until("outcome of attempt " + attemptId, WAIT, () -> !sink.of(attemptId).isEmpty());
    }

    /**
     * Returns once the adapter has handled every AMI event the fake sent so far, including the Hangup of
     * {@code hangups} answered calls: events reach it in order, so the outcome of a later busy marker call proves it.
     */
    void drainAmiEvents(int hangups) {
        Await.until(hangups + " Hangup events sent", WAIT, () -> ami.hangupsSent() >= hangups);
        long marker = 900_000 + markers++;
        ami.script(MARKER_NUMBER, FakeAmiServer.Outcome.reason(OriginateReason.BUSY));
        adapter.send(attempt(marker, "+86" + MARKER_NUMBER), sink);
        awaitReport(marker);
    }

    @Override
    public void close() throws IOException {
        adapter.stop();
        ami.close();
    }

    /** The variables the sample manager.conf has Asterisk add to channel events ({@code channelvars}). */
    static List<String> sampleChannelvars() throws IOException {
        return Files.readAllLines(MANAGER_CONF).stream().map(String::strip)
                .filter(l -> l.startsWith("channelvars"))
                .flatMap(l -> Arrays.stream(l.substring(l.indexOf('=') + 1).split(";")[0].split(",")))
                .map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.Role;
import org.screening.outreach.support.MutableClock;

/** The console's session, CSRF, throttle and account rules, and its texts, without a server or database. */
class ConsoleRulesTest {
    static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");
    static final StaffUser USER = new StaffUser(1, "wang", "王", Role.COMMUNITY, "510104001001", false);

    @Test
    void sessionIdsAreRandomAndOnlyTheirHashIsKept() {
        String a = SessionRules.newSecret();
        String b = SessionRules.newSecret();
        assertThat(a).isNotEqualTo(b).hasSize(43);
        assertThat(SessionRules.wellFormed(a)).isTrue();
        assertThat(SessionRules.hash(a)).hasSize(64).isNotEqualTo(a).isEqualTo(SessionRules.hash(a));
        assertThat(SessionRules.wellFormed("short")).isFalse();
        assertThat(SessionRules.wellFormed(a.substring(1) + "'")).isFalse();
        assertThat(SessionRules.wellFormed(null)).isFalse();
    }

    @Test
    void csrfTokenMustMatchExactly() {
        String token = SessionRules.newSecret();
        assertThat(SessionRules.csrfMatches(token, token)).isTrue();
        assertThat(SessionRules.csrfMatches(token, null)).isFalse();
        assertThat(SessionRules.csrfMatches(token, "")).isFalse();
        assertThat(SessionRules.csrfMatches(token, token.substring(1))).isFalse();
        assertThat(SessionRules.csrfMatches("", "")).as("no token on record matches nothing").isFalse();
        assertThat(SessionRules.csrfMatches(null, null)).isFalse();
    }

    @Test
    void sessionsEndWhenIdleOrAtTheEndOfTheShift() {
        ConsoleSessions.Session s = new ConsoleSessions.Session(USER, "x", T0, T0.plus(SessionRules.LIFETIME));
        assertThat(SessionRules.live(s, T0.plusSeconds(60))).isTrue();
        assertThat(SessionRules.live(s, T0.plus(SessionRules.IDLE))).as("idle too long").isFalse();
        ConsoleSessions.Session busy = new ConsoleSessions.Session(USER, "x", T0.plus(Duration.ofHours(11)),
                T0.plus(SessionRules.LIFETIME));
        assertThat(SessionRules.live(busy, T0.plus(Duration.ofHours(11).plusMinutes(30)))).isTrue();
        assertThat(SessionRules.live(busy, T0.plus(SessionRules.LIFETIME))).as("past the lifetime").isFalse();
        assertThat(SessionRules.needsTouch(s, T0.plusSeconds(30))).isFalse();
        assertThat(SessionRules.needsTouch(s, T0.plusSeconds(60))).isTrue();
    }

    @Test
    void afterLoginOnlyConsolePathsAreFollowed() {
        assertThat(SessionRules.safeNext("/console/cases/01ABC?x=1")).isEqualTo("/console/cases/01ABC?x=1");
        assertThat(SessionRules.safeNext("https://evil.example/")).isEqualTo("/console");
        assertThat(SessionRules.safeNext("//evil.example")).isEqualTo("/console");
        assertThat(SessionRules.safeNext("/console//evil.example")).isEqualTo("/console");
        assertThat(SessionRules.safeNext("/console\\..\\x")).isEqualTo("/console");
        assertThat(SessionRules.safeNext("/console/login")).isEqualTo("/console");
        assertThat(SessionRules.safeNext(null)).isEqualTo("/console");
    }

    @Test
    void cookiesAreSecureBehindHttps() {
        assertThat(SessionRules.secureCookies("https://outreach.example")).isTrue();
        assertThat(SessionRules.secureCookies("HTTPS://outreach.example")).isTrue();
        assertThat(SessionRules.secureCookies("http://localhost:8080")).isFalse();
    }

    @Test
    void repeatedFailuresAreThrottledForKnownAndUnknownNamesAlike() {
        MutableClock clock = new MutableClock(T0);
        LoginThrottle throttle = new LoginThrottle(new FailuresInMemory(), clock);
        for (int i = 0; i < LoginThrottle.PER_USER_AND_ADDRESS; i++) {
            assertThat(throttle.allowed("nobody", "10.0.0.1")).isTrue();
            throttle.failed("nobody", "10.0.0.1");
        }
        assertThat(throttle.allowed("nobody", "10.0.0.1")).isFalse();
        assertThat(throttle.allowed("NOBODY", "10.0.0.1")).as("case does not dodge it").isFalse();
        assertThat(throttle.allowed("nobody", "10.0.0.2")).as("another address").isTrue();
        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
        assertThat(throttle.allowed("nobody", "10.0.0.1")).as("after the window").isTrue();
        throttle.failed("wang", "10.0.0.3");
        throttle.succeeded("wang", "10.0.0.3");
        for (int i = 0; i < LoginThrottle.PER_USER_AND_ADDRESS - 1; i++) throttle.failed("wang", "10.0.0.3");
        assertThat(throttle.allowed("wang", "10.0.0.3")).as("a success cleared the earlier failure").isTrue();
    }

    @Test
    void accountRulesNameTheFirstProblem() {
        assertThat(StaffDirectory.check(request("wang", "long-enough-1", "community", "510104001001"))).isEmpty();
        assertThat(StaffDirectory.check(request("wang", "short", "community", "510104")).orElseThrow().code())
                .isEqualTo("staff.err.passwordShort");
        assertThat(StaffDirectory.check(request("wang", "x".repeat(73), "community", "510104")).orElseThrow().code())
                .isEqualTo("staff.err.passwordLong");
        assertThat(StaffDirectory.check(request("wang", "long-enough-1", "mayor", "510104")).orElseThrow().code())
                .isEqualTo("staff.err.role");
        assertThat(StaffDirectory.check(request("wang", "long-enough-1", "staff", "51A")).orElseThrow().code())
                .isEqualTo("staff.err.prefix");
        assertThat(StaffDirectory.check(request("wang", "long-enough-1", "city", "510")).orElseThrow().code())
                .as("cut inside the city level: would cover every 510x city").isEqualTo("staff.err.prefix");
        assertThat(StaffDirectory.check(request("wang", "long-enough-1", "staff", "51010400100")).orElseThrow().code())
                .isEqualTo("staff.err.prefix");
        assertThat(StaffDirectory.check(request("wang", "long-enough-1", "county", "510104"))).isEmpty();
        assertThat(StaffDirectory.check(request("w ang", "long-enough-1", "staff", "51")).orElseThrow().code())
                .isEqualTo("staff.err.username");
        assertThat(StaffDirectory.check(request("王网格员", "long-enough-1", "staff", "51"))).as("Chinese names are fine")
                .isEmpty();
    }

    @Test
    void passwordsAreCheckedWithBcrypt() {
        Passwords p = new Passwords(4);
        String hash = p.hash("correct horse battery");
        assertThat(hash).startsWith("$2a$04$").doesNotContain("correct");
        assertThat(p.matches("correct horse battery", hash)).isTrue();
        assertThat(p.matches("wrong horse battery", hash)).isFalse();
        assertThat(p.matches("correct horse battery", "not a bcrypt string")).isFalse();
        assertThat(p.matches("x".repeat(100), hash)).isFalse();
        assertThat(p.matchesNothing("anything")).isFalse();
    }

    @Test
    void countdownInWordsInBothLanguages() {
        Instant deadline = T0.plus(Duration.ofMinutes(83));
        assertThat(Views.countdown(deadline, T0, Messages.of("zh"))).isEqualTo("还剩 1小时23分");
        assertThat(Views.countdown(deadline, T0.plus(Duration.ofMinutes(80)), Messages.of("zh"))).isEqualTo("还剩 3分00秒");
        assertThat(Views.countdown(deadline, deadline, Messages.of("zh"))).isEqualTo("已超时");
        assertThat(Views.countdown(deadline, T0, Messages.of("en"))).isEqualTo("1 h 23 min left");
        assertThat(Views.countdown(deadline, deadline.plusSeconds(1), Messages.of("en"))).isEqualTo("Overdue");
    }

    @Test
    void timelineSaysEventsInWordsAndShowsUnknownOnesRaw() {
        Views views = new Views(ZoneId.of("Asia/Shanghai"));
        Messages zh = Messages.of("zh");
        Map<String, Object> answer = views.event(new LedgerEvent("C1", "IVR_ANSWER", T0, "dispatcher",
                Map.of("key", "health_code", "value", "green", "attempt", 7)), zh);
        assertThat(answer.get("title")).isEqualTo("语音问答");
        assertThat(answer.get("details")).asList().containsExactly("问题: 健康码", "回答: 绿码");
        assertThat(answer.get("time")).isEqualTo("04-01 08:00:00");
        Map<String, Object> change = views.event(new LedgerEvent("C1", "STATUS_CHANGED", T0, "staff:wang",
                Map.of("from", "VERIFIED", "to", "CLOSED", "reason", "核实无误")), zh);
        assertThat(change.get("details")).asList().containsExactly("原状态: 已核实", "原因: 核实无误", "新状态: 已销号");
        assertThat(change.get("actor")).isEqualTo("工作人员 wang");
        Map<String, Object> odd = views.event(new LedgerEvent("C1", "SOMETHING_NEW", T0, "", Map.of("x", true)), zh);
        assertThat(odd.get("title")).isEqualTo("SOMETHING_NEW");
        assertThat(odd.get("details")).asList().containsExactly("x: 是");
    }

    /** The events a call and its answers leave, as the dispatcher writes them: Chinese staff read them in Chinese. */
    @Test
    void callDetailsAndFlagsAreInWordsNotCodes() {
        Views views = new Views(ZoneId.of("Asia/Shanghai"));
        Map<String, Object> call = views.event(new LedgerEvent("C1", "CALL_ANSWERED", T0, "system",
                Map.of("provider", "sim", "durationSeconds", 60, "attempt", 7)), Messages.of("zh"));
        assertThat(call.get("details")).asList().containsExactly("通话时长（秒）: 60", "服务商: 模拟通道");
        Map<String, Object> flagged = views.event(new LedgerEvent("C1", "FLAGGED", T0, "system",
                Map.of("flags", "travel_last_7_days,health_code_yellow")), Messages.of("zh"));
        assertThat(flagged.get("details")).asList().containsExactly("需跟进事项: 近7天去过外地；黄码");
        Map<String, Object> en = views.event(new LedgerEvent("C1", "FLAGGED", T0, "system",
                Map.of("flags", "health_code_red")), Messages.of("en"));
        assertThat(en.get("details")).asList().containsExactly("Flags: red code");
        Map<String, Object> failed = views.event(new LedgerEvent("C1", "SMS_FAILED", T0, "system",
                Map.of("errorCode", "21610", "tries", 3)), Messages.of("zh"));
        assertThat(failed.get("details")).asList().containsExactly("错误代码: 21610", "尝试次数: 3");
    }

    @Test
    @SuppressWarnings("unchecked")
    void numbersTypedIntoFreeTextAreMaskedOnTheTimelineAsInTheExport() {
        Views views = new Views(ZoneId.of("Asia/Shanghai"));
        Map<String, Object> knock = views.event(new LedgerEvent("C1", "DOOR_KNOCK_RESULT", T0, "staff:wang",
                Map.of("note", "家属电话13800138000，身份证510104198001010011", "team", "一组")), Messages.of("zh"));
        assertThat(String.join("|", (List<String>) knock.get("details"))).doesNotContain("13800138000")
                .doesNotContain("510104198001010011").contains("*******8000").contains("一组");
        Map<String, Object> moved = views.event(new LedgerEvent("C1", "TRANSFER_CREATED", T0, "system",
                Map.of("toJurisdiction", "500103001001")), Messages.of("zh"));
        assertThat(String.join("|", (List<String>) moved.get("details"))).as("a division code is no person's number")
                .contains("500103001001");
    }

    @Test
    void bothLanguagesHaveEveryTextTheTemplatesUse() throws IOException {
        Properties zh = bundle("zh");
        Properties en = bundle("en");
        assertThat(en.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(zh.stringPropertyNames());
        Set<String> used = new HashSet<>();
        Pattern key = Pattern.compile("\\$m\\.(?:get|fmt)\\('([^']+)'");
        for (String page : new String[] {"_top", "login", "message", "worklist", "case", "staff"}) {
            Matcher m = key.matcher(resource("pages/console/" + page + ".vm"));
            while (m.find()) used.add(m.group(1));
        }
        assertThat(used).isNotEmpty();
        assertThat(zh.stringPropertyNames()).containsAll(used);
    }

    private static StaffDirectory.Request request(String user, String password, String role, String prefix) {
        return new StaffDirectory.Request(user, password, "王网格员", role, prefix, false);
    }

    private static Properties bundle(String lang) throws IOException {
        Properties p = new Properties();
        p.load(new java.io.StringReader(resource("pages/console/messages_" + lang + ".properties")));
        return p;
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = ConsoleRulesTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The throttle's rules without a database (JdbcHitCounts is tested across two nodes over HTTP). */
    static final class FailuresInMemory implements LoginFailures {
        private final java.util.List<java.util.Map.Entry<String, Instant>> rows = new java.util.ArrayList<>();

        @Override
        public int count(String keyHash, Instant since) {
            return (int) rows.stream().filter(r -> r.getKey().equals(keyHash) && r.getValue().isAfter(since)).count();
        }

        @Override
        public void add(java.util.List<String> keyHashes, Instant at) {
            keyHashes.forEach(k -> rows.add(java.util.Map.entry(k, at)));
        }

        @Override
        public void clear(String keyHash) {
            rows.removeIf(r -> r.getKey().equals(keyHash));
        }

        @Override
        public int deleteUpTo(Instant cutoff) {
            int before = rows.size();
            rows.removeIf(r -> !r.getValue().isAfter(cutoff));
            return before - rows.size();
        }
    }

    @Test
    void whyATransferWentToTheTaskForceReadsInTheStaffsLanguage() {
        org.screening.outreach.ledger.export.Labels zh = Messages.of("zh")::getOr;
        org.screening.outreach.ledger.export.Labels en = Messages.of("en")::getOr;
        assertThat(org.screening.outreach.ledger.export.ReasonText.of("not acknowledged 45 min into its hour", zh))
                .isEqualTo("转出已45分钟未获对方确认");
        assertThat(org.screening.outreach.ledger.export.ReasonText.of("no peer endpoint is configured for 440100000000", zh))
                .isEqualTo("440100000000未配置对接系统");
        assertThat(org.screening.outreach.ledger.export.ReasonText.of(
                "the receiving jurisdiction did not take it (refused: HTTP 422: {\"field\":\"jurisdiction\"})", zh))
                .isEqualTo("对方未接收（refused: HTTP 422: {\"field\":\"jurisdiction\"}）");
        assertThat(org.screening.outreach.ledger.export.ReasonText.of("not acknowledged 45 min into its hour", en))
                .isEqualTo("not confirmed 45 min into its hour");
    }
}

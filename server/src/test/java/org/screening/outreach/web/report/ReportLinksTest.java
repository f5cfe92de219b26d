package org.screening.outreach.web.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.web.report.ReportLinks.Invalid;
import org.screening.outreach.web.report.ReportLinks.Reason;
import org.screening.outreach.web.report.ReportLinks.Valid;

class ReportLinksTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final String CASE = "01M84GSPZMCWDZCHMS8DY5DHAP";
    final MutableClock clock = new MutableClock(Instant.parse("2022-04-01T00:00:00Z"));
    final ReportLinks links = new ReportLinks("https://outreach.example.cn/", KEY, clock, Duration.ofHours(48));

    @Test
    void linkIsShortUrlSafeAndVerifiesToTheCase() {
        String link = links.link(CASE);
        assertThat(link).startsWith("https://outreach.example.cn/r/").matches("https://outreach\\.example\\.cn/r/[A-Za-z0-9._-]+");
        String token = link.substring(link.lastIndexOf('/') + 1);
        assertThat(token.length()).isLessThanOrEqualTo(60);
        assertThat(links.verify(token, clock.instant()))
                .isEqualTo(new Valid(CASE, Instant.parse("2022-04-03T00:00:00Z")));
    }

    @Test
    void expiresWithTheClock() {
        String token = token();
        clock.advance(Duration.ofHours(48).minusSeconds(1));
        assertThat(links.verify(token, clock.instant())).isInstanceOf(Valid.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(links.verify(token, clock.instant())).isEqualTo(new Invalid(Reason.EXPIRED));
    }

    @Test
    void tamperingAnyPartIsRefused() {
        String[] p = token().split("\\.");
        // another case id with the same mac
        assertThat(verify(otherChar(p[0], 25) + "." + p[1] + "." + p[2])).isEqualTo(new Invalid(Reason.TAMPERED));
        // a later expiry (the classic attack: keep an old link alive)
        String later = Long.toString(Long.parseLong(p[1], 36) + 86_400, 36);
        assertThat(verify(p[0] + "." + later + "." + p[2])).isEqualTo(new Invalid(Reason.TAMPERED));
        // every single character of the mac, including the last one whose low bits base64 would ignore
        for (int i = 0; i < p[2].length(); i++) {
            assertThat(verify(p[0] + "." + p[1] + "." + otherChar(p[2], i))).as("mac char " + i)
                    .isEqualTo(new Invalid(Reason.TAMPERED));
        }
        // a token signed with another key
        byte[] otherKey = Arrays.copyOf(KEY, KEY.length);
        otherKey[0] ^= 1;
        String forged = new ReportLinks("https://x", otherKey, clock, Duration.ofHours(1)).token(CASE, clock.instant().plusSeconds(60));
        assertThat(verify(forged)).isEqualTo(new Invalid(Reason.TAMPERED));
    }

    @Test
    void tamperedExpiredTokenReadsAsTamperedNotExpired() {
        String[] p = token().split("\\.");
        clock.advance(Duration.ofDays(10));
        assertThat(verify(p[0] + "." + p[1] + "." + otherChar(p[2], 3))).isEqualTo(new Invalid(Reason.TAMPERED));
        assertThat(verify(String.join(".", p))).isEqualTo(new Invalid(Reason.EXPIRED));
    }

    @Test
    void malformedTokensAreRefused() {
        String t = token();
        for (String bad : new String[] {null, "", "abc", t + ".x", t.replace('.', '-'), "a b.c.d",
                CASE + ".RB2K1C." + t.substring(t.lastIndexOf('.') + 1), CASE + "..AAAAAAAAAAAAAAAAAAAAAA",
                CASE + ".x.AAAA", "x".repeat(200)}) {
            assertThat(links.verify(bad, clock.instant())).as(String.valueOf(bad)).isEqualTo(new Invalid(Reason.MALFORMED));
        }
    }

    @Test
    void refusesWeakKeysAndUnsafeCaseIds() {
        assertThatThrownBy(() -> new ReportLinks("https://x", new byte[16], clock, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> links.token("a.b", clock.instant())).isInstanceOf(IllegalArgumentException.class);
        assertThat(ReportLinks.newKey()).hasSize(32);
    }

    private String token() {
        String link = links.link(CASE);
        return link.substring(link.lastIndexOf('/') + 1);
    }

    private ReportLinks.Verification verify(String token) {
        return links.verify(token, clock.instant());
    }

    private static String otherChar(String s, int i) {
        char c = s.charAt(i);
        char r = c == 'A' ? 'B' : 'A';
        return s.substring(0, i) + r + s.substring(i + 1);
    }
}

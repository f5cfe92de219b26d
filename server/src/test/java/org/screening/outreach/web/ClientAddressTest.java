package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.screening.outreach.config.ConfigLoader;

/** Whose address a per-address limit counts, behind and without a load balancer. */
class ClientAddressTest {
    final ClientAddress behindBalancer = new ClientAddress(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

    @Test
    void theRightMostUntrustedForwardedAddressIsTheClient() {
        assertThat(behindBalancer.resolve("10.0.3.4", "203.0.113.9")).isEqualTo("203.0.113.9");
        // The client wrote its own X-Forwarded-For; the balancer appended the real peer: the forged part is left of it.
        assertThat(behindBalancer.resolve("10.0.3.4", "1.2.3.4, 203.0.113.9")).isEqualTo("203.0.113.9");
        // Two balancers in a row, both trusted.
        assertThat(behindBalancer.resolve("192.168.1.7", "203.0.113.9, 10.0.0.2")).isEqualTo("203.0.113.9");
        assertThat(behindBalancer.resolve("fd00::5", "2001:db8::1")).isEqualTo("2001:db8::1");
    }

    @Test
    void aPeerThatIsNotTrustedCannotNameItsOwnAddress() {
        assertThat(behindBalancer.resolve("203.0.113.50", "1.2.3.4")).isEqualTo("203.0.113.50");
        assertThat(new ClientAddress(List.of()).resolve("10.0.3.4", "1.2.3.4")).isEqualTo("10.0.3.4");
        assertThat(behindBalancer.resolve("10.0.3.4", null)).isEqualTo("10.0.3.4");
        assertThat(behindBalancer.resolve("10.0.3.4", "unknown, evil.example")).as("garbage: the peer counts")
                .isEqualTo("10.0.3.4");
        assertThat(behindBalancer.resolve("10.0.3.4", "10.0.0.9")).as("only proxies in the chain").isEqualTo("10.0.3.4");
        assertThat(behindBalancer.resolve(null, "1.2.3.4")).isEqualTo("?");
        assertThat(behindBalancer.resolve("11.0.0.1", "1.2.3.4")).as("outside 10.0.0.0/8").isEqualTo("11.0.0.1");
    }

    @Test
    void badSettingsStopTheStart() {
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_TRUSTED_PROXIES", "haproxy")))
                .hasMessageContaining("OUTREACH_TRUSTED_PROXIES");
        assertThat(ConfigLoader.fromMap(Map.of("OUTREACH_TRUSTED_PROXIES", "10.0.0.0/8, ::1")).trustedProxies())
                .containsExactly("10.0.0.0/8", "::1");
    }
}

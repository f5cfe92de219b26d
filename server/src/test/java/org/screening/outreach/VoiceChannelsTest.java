package org.screening.outreach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.screening.outreach.channels.voice.asterisk.AsteriskSettings;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.config.OutreachConfig;

/**
 * ASTERISK_AMI_HOST naming several PBXs, each with the trunk settings, all allowed to open FastAGI sessions; how long
 * a call may last and when an unreported one is settled.
 */
class VoiceChannelsTest {
    static List<AsteriskSettings> pbxs(String hosts, String... more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("OUTREACH_VOICE_PROVIDER", "asterisk",
                "ASTERISK_AMI_HOST", hosts, "ASTERISK_AMI_USER", "outreach", "ASTERISK_AMI_SECRET", "s3cret",
                "OUTREACH_ASTERISK_CONTEXT", "screening", "OUTREACH_ASTERISK_CHANNELS", "30"));
        for (int i = 0; i + 1 < more.length; i += 2) settings.put(more[i], more[i + 1]);
        OutreachConfig config = ConfigLoader.fromMap(settings);
        return VoiceChannels.asterisk(config.asterisk(), config.callLimit());
    }

    @Test
    void eachHostIsAPbxWithItsOwnChannelsAndTheSameDialplan() {
        List<AsteriskSettings> p = pbxs("pbx1.example, 10.0.0.2:5039");
        assertThat(p).extracting(AsteriskSettings::pbxName).containsExactly("pbx1.example", "10.0.0.2:5039");
        assertThat(p).extracting(AsteriskSettings::amiHost).containsExactly("pbx1.example", "10.0.0.2");
        assertThat(p).extracting(AsteriskSettings::amiPort).containsExactly(5038, 5039);
        assertThat(p).extracting(AsteriskSettings::maxChannels).containsExactly(30, 30);
        assertThat(p).extracting(AsteriskSettings::context).containsOnly("screening");
        assertThat(p.get(0).allowedPbxHosts()).containsExactly("pbx1.example", "10.0.0.2");
        assertThat(p.get(1).allowedPbxHosts()).isEqualTo(p.get(0).allowedPbxHosts());
    }

    @Test
    void configuredAgiHostsWinAndABadPortIsNamed() {
        assertThat(pbxs("pbx1", "OUTREACH_AGI_ALLOWED_HOSTS", "haproxy").get(0).allowedPbxHosts()).containsExactly("haproxy");
        assertThatThrownBy(() -> pbxs("pbx1:five")).hasMessageContaining("ASTERISK_AMI_HOST").hasMessageContaining("pbx1:five");
        assertThatThrownBy(() -> pbxs(" , ")).hasMessageContaining("ASTERISK_AMI_HOST");
    }

    /** A call waits for a free channel at most a minute, and well inside the call lease when that is short. */
    @Test
    void theQueueWaitStaysInsideTheCallLease() {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("OUTREACH_VOICE_PROVIDER", "asterisk",
                "ASTERISK_AMI_HOST", "pbx1", "ASTERISK_AMI_USER", "outreach", "ASTERISK_AMI_SECRET", "s3cret"));
        OutreachConfig standard = ConfigLoader.fromMap(settings);
        assertThat(VoiceChannels.asterisk(standard.asterisk(), standard.callLimit(), standard.leases().call()).get(0)
                .queueWait()).isEqualTo(Duration.ofSeconds(60));
        settings.put("OUTREACH_CALL_LEASE_SECONDS", "40");
        OutreachConfig shortLease = ConfigLoader.fromMap(settings);
        assertThat(VoiceChannels.asterisk(shortLease.asterisk(), shortLease.callLimit(), shortLease.leases().call()).get(0)
                .queueWait()).isEqualTo(Duration.ofSeconds(20));
    }

    /** IPv6 PBXs: bare or bracketed, the port only after brackets; the AGI allow-list gets the bare address. */
    @Test
    void ipv6HostsAreReadWholeAndTheirPortsAfterBrackets() {
        List<AsteriskSettings> p = pbxs("::1, [fd00::5]:5039, [fd00::6]");
        assertThat(p).extracting(AsteriskSettings::amiHost).containsExactly("::1", "fd00::5", "fd00::6");
        assertThat(p).extracting(AsteriskSettings::amiPort).containsExactly(5038, 5039, 5038);
        assertThat(p).extracting(AsteriskSettings::pbxName).containsExactly("::1", "[fd00::5]:5039", "fd00::6");
        assertThat(p.get(0).allowedPbxHosts()).containsExactly("::1", "fd00::5", "fd00::6");
        assertThat(p.get(1).toString()).contains("outreach@[fd00::5]:5039");
        assertThatThrownBy(() -> pbxs("[fd00::5:5039")).hasMessageContaining("ASTERISK_AMI_HOST");
    }

    @Test
    void theCallLimitReachesEveryPbxAndBoundsWhenAnUnreportedCallIsSettled() {
        List<AsteriskSettings> p = pbxs("pbx1, pbx2", "OUTREACH_CALL_LIMIT_SECONDS", "300",
                "OUTREACH_ASTERISK_RING_SECONDS", "40");
        assertThat(p).extracting(AsteriskSettings::callLimit).containsOnly(Duration.ofSeconds(300));
        assertThat(VoiceChannels.longestCall(config("OUTREACH_VOICE_PROVIDER", "asterisk",
                "OUTREACH_CALL_LIMIT_SECONDS", "300", "OUTREACH_ASTERISK_RING_SECONDS", "40")))
                .as("ring + limit + the settling job's margin").isEqualTo(Duration.ofSeconds(40 + 300 + 30));
        // Twilio's status callbacks may come late: with it as the secondary its longer margin wins.
        assertThat(VoiceChannels.longestCall(config("OUTREACH_VOICE_PROVIDER", "asterisk",
                "OUTREACH_VOICE_FAILOVER", "twilio", "OUTREACH_CALL_LIMIT_SECONDS", "300", "OUTREACH_TWILIO_RING_SECONDS", "20")))
                .isEqualTo(Duration.ofSeconds(20 + 300 + 300));
        assertThat(VoiceChannels.longestCall(config("OUTREACH_VOICE_PROVIDER", "sim")))
                .as("the simulator reports every call itself").isNull();
        assertThatThrownBy(() -> config("OUTREACH_CALL_LIMIT_SECONDS", "10"))
                .hasMessageContaining("OUTREACH_CALL_LIMIT_SECONDS");
    }

    @Test
    void theCapacityForecastCountsTwilioByItsCallRateAndLinesByTheirChannels() {
        Duration hold = Duration.ofSeconds(45);
        // Twilio's _MAX_CALLS bounds requests placing calls (freed at Twilio's 201), not calls in progress.
        org.screening.outreach.channels.ChannelAdapter twilio = VoiceChannels.build(config("OUTREACH_VOICE_PROVIDER",
                "twilio", "OUTREACH_TWILIO_CALLS_PER_SECOND", "1", "OUTREACH_TWILIO_MAX_CALLS", "20"),
                java.time.Clock.systemUTC(), (d, r) -> { }, null, new java.util.ArrayList<>());
        assertThat(twilio.capacity().callsPerSecond(hold)).isEqualTo(1.0);
        // Simulated lines (as Asterisk's channels) are held for the whole call: 30 lines, 45 s each.
        org.screening.outreach.channels.ChannelAdapter lines = VoiceChannels.build(config("OUTREACH_VOICE_PROVIDER", "sim",
                "OUTREACH_SIM_VOICE_CHANNELS", "30", "OUTREACH_SIM_CALLS_PER_SECOND", "5"),
                java.time.Clock.systemUTC(), (d, r) -> { }, null, new java.util.ArrayList<>());
        assertThat(lines.capacity().callsPerSecond(hold)).isEqualTo(30 / 45.0);
    }

    private static OutreachConfig config(String... pairs) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("ASTERISK_AMI_HOST", "pbx1",
                "ASTERISK_AMI_USER", "outreach", "ASTERISK_AMI_SECRET", "s3cret", "TWILIO_ACCOUNT_SID",
                "AC0123456789abcdef0123456789abcdef", "TWILIO_AUTH_TOKEN", "tok3n", "TWILIO_FROM", "+15005550006"));
        for (int i = 0; i + 1 < pairs.length; i += 2) settings.put(pairs[i], pairs[i + 1]);
        return ConfigLoader.fromMap(settings);
    }
}

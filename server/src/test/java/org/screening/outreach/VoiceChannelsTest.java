package org.screening.outreach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.screening.outreach.channels.voice.asterisk.AsteriskSettings;
import org.screening.outreach.config.ConfigLoader;

/** ASTERISK_AMI_HOST naming several PBXs, each with the trunk settings, all allowed to open FastAGI sessions. */
class VoiceChannelsTest {
    static List<AsteriskSettings> pbxs(String hosts, String... more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("OUTREACH_VOICE_PROVIDER", "asterisk",
                "ASTERISK_AMI_HOST", hosts, "ASTERISK_AMI_USER", "outreach", "ASTERISK_AMI_SECRET", "s3cret",
                "OUTREACH_ASTERISK_CONTEXT", "screening", "OUTREACH_ASTERISK_CHANNELS", "30"));
        for (int i = 0; i + 1 < more.length; i += 2) settings.put(more[i], more[i + 1]);
        return VoiceChannels.asterisk(ConfigLoader.fromMap(settings).asterisk());
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
}

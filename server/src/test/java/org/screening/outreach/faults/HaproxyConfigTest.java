package org.screening.outreach.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.support.InstalledBinary;
import org.screening.outreach.support.ShippedFiles;

/**
 * HAProxy's own check ({@code haproxy -c}) of the shipped haproxy.cfg with the shipped env/haproxy.env as its
 * environment, as compose runs it — only the certificate is the drill's, since the real one is the operator's. A
 * mistake in the cfg shows here in seconds rather than in the fault drill.
 */
class HaproxyConfigTest {

    @Test
    void haproxyAcceptsTheShippedConfigurationWithTheShippedAddresses(@TempDir Path dir) throws Exception {
        LoopbackTls tls = LoopbackTls.create(dir);
        ProcessBuilder pb = new ProcessBuilder(List.of(InstalledBinary.require("haproxy", "haproxy").toString(), "-c",
                "-f", ShippedFiles.deploy("haproxy/haproxy.cfg").toString())).redirectErrorStream(true);
        pb.environment().putAll(ShippedFiles.env("haproxy.env"));
        pb.environment().put("LB_TLS_CERT", tls.pem.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        // Compose's host names (outreach-1, outreach-2) do not resolve here: warnings, not errors.
        assertThat(p.exitValue()).as("haproxy -c:\n%s", out).isZero();
        assertThat(out).contains("Configuration file is valid");
    }
}

package org.screening.outreach.faults;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The drill's stand-in for the public certificate: a self-signed one for 127.0.0.1 made with the JDK's keytool,
 * written as HAProxy wants it (certificate then key, PEM) and trusted by the drill's clients (the Twilio stub's
 * callbacks, the API pushes) — so traffic crosses the balancer over TLS as in production.
 */
final class LoopbackTls {
    private static final char[] PASSWORD = "drill-only".toCharArray();
    final Path pem;
    private final SSLContext context;

    private LoopbackTls(Path pem, SSLContext context) {
        this.pem = pem;
        this.context = context;
    }

    static LoopbackTls create(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path store = dir.resolve("lb.p12");
        Files.deleteIfExists(store);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "lb", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException("keytool: " + output);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        Certificate cert = ks.getCertificate("lb");
        PrivateKey key = (PrivateKey) ks.getKey("lb", PASSWORD);
        Path pem = dir.resolve("tls.pem");
        Files.writeString(pem, pem("CERTIFICATE", cert.getEncoded()) + pem("PRIVATE KEY", key.getEncoded()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("lb", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return new LoopbackTls(pem, ssl);
    }

    /** Trusts the balancer's certificate only. */
    SSLContext context() {
        return context;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}

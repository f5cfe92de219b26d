package org.screening.outreach.config;

import java.nio.file.Path;
import java.time.ZoneId;
import org.screening.outreach.domain.Deadlines;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;

/**
 * The whole server configuration, read once at start by {@link ConfigLoader} (defaults < file < env).
 * {@code dbUrl} null means: start the embedded MariaDB under {@code dataDir}.
 */
public record OutreachConfig(
        int httpPort,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String adminToken,
        String publicUrl,
        String smsProvider,
        String voiceProvider,
        String voiceFailover,
        ZoneId zone,
        long maxImportBytes,
        long maxJsonBytes,
        int intakeBatchSize,
        int dbPoolSize,
        Deadlines deadlines,
        boolean dispatchEnabled,
        QuietHours quietHours,
        java.time.Duration averageCallHold,
        /* The longest an answered call may last (Twilio TimeLimit, Asterisk TIMEOUT(absolute)). */
        java.time.Duration callLimit,
        RetryPlans retryPlans,
        Ivr ivr,
        String smsTemplatesDir,
        String twilioAuthToken,
        Twilio twilio,
        Asterisk asterisk,
        SelfReport selfReport,
        LedgerFeed ledgerFeed,
        Simulator simulator,
        Campaigns campaigns,
        Transfers transfers,
        java.time.Duration dedupWindow,
        java.util.List<String> trustedProxies,
        Leases leases,
        IdNumberKeys idNumberKeys,
        Console console) {

    /** The staff console: how close to its deadline a case is "due soon" on the work list (OUTREACH_DUE_SOON_MINUTES). */
    public record Console(java.time.Duration dueSoon) {}

    /**
     * Keys of ID numbers at rest (OUTREACH_ID_*): the AES-256 key new values are encrypted with, older keys that only
     * decrypt (until re-encrypted), and the HMAC key of the equality index. {@code key} null: none configured, the
     * keys are generated into the data dir. Kept out of toString.
     */
    public record IdNumberKeys(byte[] key, java.util.List<byte[]> oldKeys, byte[] indexKey) {
        public boolean configured() {
            return key != null;
        }

        @Override
        public String toString() {
            return "IdNumberKeys[" + (configured() ? "configured, " + oldKeys.size() + " old" : "generated") + ", keys=***]";
        }
    }

    /**
     * How long a node may hold a claimed attempt before another node takes it back (its holder died): calls run
     * longer than SMS sends. Shorter leases recover faster from a killed node but must outlast a send in flight.
     */
    public record Leases(java.time.Duration call, java.time.Duration sms) {}

    /**
     * Transfers to the jurisdiction a person belongs to (issue 7): this deployment's jurisdiction prefix, the peers
     * (prefix → base URL and the key shared with that peer, kept out of toString), when an unacknowledged transfer
     * is escalated, the request timeout.
     */
    public record Transfers(String jurisdiction, java.util.List<TransferPeer> peers, java.time.Duration escalateAfter,
                            java.time.Duration timeout) {}

    public record TransferPeer(String prefix, String baseUrl, byte[] key) {
        @Override
        public String toString() {
            return "TransferPeer[" + prefix + " " + baseUrl + ", key=***]";
        }
    }

    /** The sim providers: outcomes from the seed; capacity and durations like a small real line. */
    /**
     * Bulk SMS campaigns: the most of the SMS provider's rate they may take (0..1]; the rest stays free for case
     * reminders arriving mid-campaign (campaigns take nothing at all while reminders wait).
     */
    public record Campaigns(double smsShare) {}

    public record Simulator(long seed, int voiceChannels, double callsPerSecond, double smsPerSecond,
                            java.time.Duration talk, java.time.Duration ring, double answerRate, double busyRate,
                            double noAnswerRate) {}

    /**
     * Twilio account settings (the auth token is {@link #twilioAuthToken}); {@code apiBase} null = api.twilio.com.
     * Calls: {@code callsPerSecond} is the account's CPS (Twilio's default is 1), {@code maxCalls} how many may be
     * placed and not yet handed over at once, {@code ring} how long a call rings, {@code machineDetection} whether
     * Twilio tells answering machines from people (a machine gets no message and counts as not answered).
     */
    public record Twilio(String accountSid, String from, String apiBase, double smsPerSecond, double callsPerSecond,
                         int maxCalls, java.time.Duration ring, boolean machineDetection,
                         org.screening.outreach.ivr.twiml.TwilioVoices voices) {}

    /**
     * One Asterisk PBX (ASTERISK_AMI_*; the secret is kept out of toString): the Originate channel template with
     * {@code {number}}, the prefix taken off E.164 numbers and the one put on, the dialplan context, caller id,
     * channels and calls/s the trunk carries, ring time, the FastAGI port and the hosts allowed to use it
     * (empty: the AMI host).
     */
    public record Asterisk(String amiHost, int amiPort, String amiUser, String amiSecret, String channelTemplate,
                           String stripPrefix, String dialPrefix, String context, String callerId, int channels,
                           double callsPerSecond, java.time.Duration ring, int agiPort, java.util.List<String> agiAllowedHosts) {
        @Override
        public String toString() {
            return "Asterisk[ami=" + amiUser + "@" + amiHost + ":" + amiPort + ", secret=***, channel=" + channelTemplate
                    + ", agiPort=" + agiPort + "]";
        }
    }

    /** The IVR: the scripts' directory (null = bundled), and which script in which language calls run. */
    public record Ivr(String scriptsDir, String script, String language) {}

    /**
     * The outbound ledger feed (OUTREACH_LEDGER_*): destination URLs (empty: no feed), the HMAC key signing every
     * body (kept out of toString), how long a failing event is retried before it is parked, the request timeout.
     */
    public record LedgerFeed(java.util.List<String> urls, byte[] key, java.time.Duration retryHorizon,
                             java.time.Duration timeout) {
        public boolean enabled() {
            return !urls.isEmpty();
        }

        @Override
        public String toString() {
            return "LedgerFeed[urls=" + urls + ", key=***, retry=" + retryHorizon + ", timeout=" + timeout + "]";
        }
    }

    /** The self-report link in reminders: HMAC key (base64; null = kept under the data dir), validity, hotline. */
    public record SelfReport(String keyBase64, java.time.Duration linkValidity, String hotline) {}

    /** Secrets never reach a log line through this record. */
    @Override
    public String toString() {
        return "OutreachConfig[httpPort=" + httpPort + ", dataDir=" + dataDir + ", embeddedDatabase=" + (dbUrl == null)
                + ", sms=" + smsProvider + ", voice=" + voiceProvider + (voiceFailover.equals("none") ? "" : ">" + voiceFailover)
                + ", zone=" + zone + ", dispatch=" + dispatchEnabled + "]";
    }

    public boolean embeddedDatabase() {
        return dbUrl == null;
    }

    public OutreachConfig withHttpPort(int port) {
        return new OutreachConfig(port, dataDir, dbUrl, dbUser, dbPassword, adminToken, publicUrl, smsProvider,
                voiceProvider, voiceFailover, zone, maxImportBytes, maxJsonBytes, intakeBatchSize, dbPoolSize, deadlines,
                dispatchEnabled, quietHours, averageCallHold, callLimit, retryPlans, ivr, smsTemplatesDir, twilioAuthToken, twilio, asterisk, selfReport, ledgerFeed, simulator, campaigns,
                transfers, dedupWindow, trustedProxies, leases, idNumberKeys, console);
    }
}

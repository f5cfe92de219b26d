package org.screening.outreach.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ControlMatch;
import org.screening.outreach.domain.Deadlines;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;

/**
 * Builds {@link OutreachConfig} from built-in defaults, then an optional properties file (same keys as the
 * environment variables; path from {@code --config <file>} or {@code OUTREACH_CONFIG_FILE}), then the environment.
 * A bad value stops the start with a message naming the key.
 */
public final class ConfigLoader {
    private final Map<String, String> values = new HashMap<>();

    private ConfigLoader() {}

    public static OutreachConfig load(String[] args, Map<String, String> env) {
        ConfigLoader l = new ConfigLoader();
        String file = env.get("OUTREACH_CONFIG_FILE");
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--config")) file = args[i + 1];
        }
        if (file != null) l.readFile(Path.of(file));
        env.forEach((k, v) -> {
            if (v != null && !v.isBlank()) l.values.put(k, v);
        });
        return l.build();
    }

    /** Config from a plain key/value map (tests), applied over the defaults. */
    public static OutreachConfig fromMap(Map<String, String> settings) {
        ConfigLoader l = new ConfigLoader();
        l.values.putAll(settings);
        return l.build();
    }

    private void readFile(Path path) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
        }
        p.forEach((k, v) -> values.put(k.toString().strip(), v.toString().strip()));
    }

    private OutreachConfig build() {
        Map<Category, Duration> deadlineOverrides = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            String key = "OUTREACH_DEADLINE_" + c.name();
            String v = values.get(key);
            if (v != null) deadlineOverrides.put(c, duration(key, v));
        }
        String dataDir = get("OUTREACH_DATA_DIR", "./data");
        OutreachConfig config = new OutreachConfig(
                intValue("OUTREACH_HTTP_PORT", 8080, 0, 65535),
                Path.of(dataDir).toAbsolutePath().normalize(),
                values.get("OUTREACH_DB_URL"),
                get("OUTREACH_DB_USER", "root"),
                get("OUTREACH_DB_PASSWORD", ""),
                values.get("OUTREACH_ADMIN_TOKEN"),
                stripSlash(get("OUTREACH_PUBLIC_URL", "http://localhost:8080")),
                oneOf("OUTREACH_SMS_PROVIDER", "sim", "sim", "twilio"),
                oneOf("OUTREACH_VOICE_PROVIDER", "sim", "sim", "asterisk", "twilio"),
                oneOf("OUTREACH_VOICE_FAILOVER", "none", "none", "sim", "asterisk", "twilio"),
                zone(get("OUTREACH_TIMEZONE", "Asia/Shanghai")),
                (long) intValue("OUTREACH_MAX_IMPORT_MB", 512, 1, 100_000) * 1024 * 1024,
                (long) intValue("OUTREACH_MAX_JSON_MB", 16, 1, 1024) * 1024 * 1024,
                intValue("OUTREACH_INTAKE_BATCH", 1000, 1, 10_000),
                intValue("OUTREACH_DB_POOL", 8, 2, 200),
                Deadlines.withOverrides(deadlineOverrides),
                oneOf("OUTREACH_DISPATCH", "on", "on", "off").equals("on"),
                quietHours(get("OUTREACH_QUIET_HOURS", "22:00-07:00"), zone(get("OUTREACH_TIMEZONE", "Asia/Shanghai"))),
                Duration.ofSeconds(intValue("OUTREACH_FORECAST_HOLD_SECONDS", 45, 1, 3600)),
                Duration.ofSeconds(intValue("OUTREACH_CALL_LIMIT_SECONDS", 600, 30, 14_400)),
                retryPlans(),
                new OutreachConfig.Ivr(values.get("OUTREACH_IVR_SCRIPTS_DIR"), get("OUTREACH_IVR_SCRIPT", "screening-call"),
                        get("OUTREACH_IVR_LANGUAGE", "zh-CN")),
                values.get("OUTREACH_SMS_TEMPLATES_DIR"),
                values.get("TWILIO_AUTH_TOKEN"),
                new OutreachConfig.Twilio(values.get("TWILIO_ACCOUNT_SID"), values.get("TWILIO_FROM"),
                        values.get("TWILIO_API_BASE"), intValue("OUTREACH_TWILIO_SMS_PER_SECOND", 10, 1, 10_000),
                        intValue("OUTREACH_TWILIO_CALLS_PER_SECOND", 1, 1, 1_000),
                        intValue("OUTREACH_TWILIO_MAX_CALLS", 20, 1, 10_000),
                        Duration.ofSeconds(intValue("OUTREACH_TWILIO_RING_SECONDS", 30, 5, 600)),
                        oneOf("OUTREACH_TWILIO_MACHINE_DETECTION", "on", "on", "off").equals("on"), twilioVoices()),
                new OutreachConfig.Asterisk(values.get("ASTERISK_AMI_HOST"), intValue("ASTERISK_AMI_PORT", 5038, 1, 65535),
                        values.get("ASTERISK_AMI_USER"), values.get("ASTERISK_AMI_SECRET"),
                        get("OUTREACH_ASTERISK_CHANNEL", "PJSIP/{number}@carrier"),
                        get("OUTREACH_ASTERISK_STRIP_PREFIX", "+86"), get("OUTREACH_ASTERISK_DIAL_PREFIX", ""),
                        get("OUTREACH_ASTERISK_CONTEXT", "outreach-ivr"), values.get("OUTREACH_ASTERISK_CALLER_ID"),
                        intValue("OUTREACH_ASTERISK_CHANNELS", 10, 1, 10_000),
                        intValue("OUTREACH_ASTERISK_CALLS_PER_SECOND", 2, 1, 1_000),
                        Duration.ofSeconds(intValue("OUTREACH_ASTERISK_RING_SECONDS", 30, 5, 600)),
                        intValue("OUTREACH_AGI_PORT", 4573, 0, 65535), list(get("OUTREACH_AGI_ALLOWED_HOSTS", ""))),
                new OutreachConfig.SelfReport(values.get("OUTREACH_REPORT_KEY"),
                        Duration.ofHours(intValue("OUTREACH_REPORT_LINK_HOURS", 72, 1, 24 * 30)),
                        get("OUTREACH_SMS_HOTLINE", "12320")),
                ledgerFeed(),
                new OutreachConfig.Simulator(
                        intValue("OUTREACH_SIM_SEED", 42, 0, Integer.MAX_VALUE),
                        intValue("OUTREACH_SIM_VOICE_CHANNELS", 30, 1, 10_000),
                        intValue("OUTREACH_SIM_CALLS_PER_SECOND", 5, 1, 10_000),
                        intValue("OUTREACH_SIM_SMS_PER_SECOND", 50, 1, 100_000),
                        Duration.ofSeconds(intValue("OUTREACH_SIM_TALK_SECONDS", 60, 0, 3600)),
                        Duration.ofSeconds(intValue("OUTREACH_SIM_RING_SECONDS", 30, 0, 600)),
                        percent("OUTREACH_SIM_ANSWER_PERCENT", 60), percent("OUTREACH_SIM_BUSY_PERCENT", 10),
                        percent("OUTREACH_SIM_NO_ANSWER_PERCENT", 25)),
                new OutreachConfig.Campaigns(intValue("OUTREACH_CAMPAIGN_SMS_PERCENT", 80, 1, 100) / 100.0),
                transfers(),
                Duration.ofDays(intValue("OUTREACH_DEDUP_DAYS", (int) ControlMatch.DEFAULT_WINDOW.toDays(), 1, 365)),
                trustedProxies(),
                new OutreachConfig.Leases(Duration.ofSeconds(intValue("OUTREACH_CALL_LEASE_SECONDS", 600, 30, 86_400)),
                        Duration.ofSeconds(intValue("OUTREACH_SMS_LEASE_SECONDS", 120, 10, 86_400))),
                idNumberKeys(),
                new OutreachConfig.Console(Duration.ofMinutes(intValue("OUTREACH_DUE_SOON_MINUTES", 120, 1, 1440))));
        checkShares(config.simulator());
        if (config.voiceFailover().equals(config.voiceProvider())) {
            throw new ConfigException("OUTREACH_VOICE_FAILOVER must name another provider than OUTREACH_VOICE_PROVIDER");
        }
        if (config.voiceProvider().equals("asterisk") || config.voiceFailover().equals("asterisk")) {
            for (String k : new String[] {"ASTERISK_AMI_HOST", "ASTERISK_AMI_USER", "ASTERISK_AMI_SECRET"}) {
                if (values.get(k) == null) throw new ConfigException(k + " is required with the asterisk voice provider");
            }
            if (!config.asterisk().channelTemplate().contains("{number}")) {
                throw new ConfigException("OUTREACH_ASTERISK_CHANNEL must contain {number}");
            }
        }
        for (String provider : new String[] {"OUTREACH_SMS_PROVIDER", "OUTREACH_VOICE_PROVIDER", "OUTREACH_VOICE_FAILOVER"}) {
            if (!get(provider, "sim").equals("twilio")) continue;
            for (String k : new String[] {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"}) {
                if (values.get(k) == null) throw new ConfigException(k + " is required with " + provider + "=twilio");
            }
        }
        return config;
    }

    /** OUTREACH_LEDGER_URL (comma-separated http(s) URLs); with any URL, OUTREACH_LEDGER_KEY is required. */
    private OutreachConfig.LedgerFeed ledgerFeed() {
        java.util.List<String> urls = list(get("OUTREACH_LEDGER_URL", ""));
        for (String u : urls) {
            java.net.URI uri;
            try {
                uri = new java.net.URI(u);
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException("OUTREACH_LEDGER_URL has a malformed URL: " + e.getMessage());
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getUserInfo() != null || u.length() > 255) {
                throw new ConfigException("OUTREACH_LEDGER_URL must hold http(s) URLs of at most 255 characters "
                        + "without user:password (the signature authenticates), got '" + uri.getHost() + "'");
            }
        }
        if (new java.util.HashSet<>(urls).size() != urls.size()) {
            throw new ConfigException("OUTREACH_LEDGER_URL names a URL twice");
        }
        String key = values.get("OUTREACH_LEDGER_KEY");
        if (!urls.isEmpty() && key == null) {
            throw new ConfigException("OUTREACH_LEDGER_KEY is required with OUTREACH_LEDGER_URL");
        }
        return new OutreachConfig.LedgerFeed(urls, key == null ? null : ledgerKey(key.strip()),
                Duration.ofHours(intValue("OUTREACH_LEDGER_RETRY_HOURS", 24, 1, 24 * 30)),
                Duration.ofSeconds(intValue("OUTREACH_LEDGER_TIMEOUT_SECONDS", 10, 1, 300)));
    }

    /**
     * OUTREACH_JURISDICTION (this deployment's 2–12 digit prefix), OUTREACH_TRANSFER_PEERS ("5001=https://cq.example,
     * 5107=…": the peer serving each prefix) with OUTREACH_TRANSFER_KEY_<prefix> per peer (shared with it, ≥ 32 bytes).
     */
    private OutreachConfig.Transfers transfers() {
        String own = get("OUTREACH_JURISDICTION", "").strip();
        if (!own.isEmpty() && !own.matches("\\d{2,12}")) {
            throw new ConfigException("OUTREACH_JURISDICTION must be 2 to 12 digits of the statistical division code");
        }
        java.util.List<OutreachConfig.TransferPeer> peers = new java.util.ArrayList<>();
        for (String entry : list(get("OUTREACH_TRANSFER_PEERS", ""))) {
            int eq = entry.indexOf('=');
            String prefix = eq < 0 ? "" : entry.substring(0, eq).strip();
            String url = eq < 0 ? "" : stripSlash(entry.substring(eq + 1).strip());
            if (!prefix.matches("\\d{2,12}") || !url.matches("https?://[^\\s/@]+(/\\S*)?")) {
                throw new ConfigException("OUTREACH_TRANSFER_PEERS entries are <prefix>=<http(s) base URL>, got '"
                        + entry + "'");
            }
            if (!own.isEmpty() && (prefix.startsWith(own) || own.startsWith(prefix))) {
                throw new ConfigException("OUTREACH_TRANSFER_PEERS: " + prefix + " overlaps this deployment's "
                        + "OUTREACH_JURISDICTION " + own);
            }
            if (peers.stream().anyMatch(p -> p.prefix().equals(prefix))) {
                throw new ConfigException("OUTREACH_TRANSFER_PEERS names " + prefix + " twice");
            }
            String key = values.get("OUTREACH_TRANSFER_KEY_" + prefix);
            if (key == null) throw new ConfigException("OUTREACH_TRANSFER_KEY_" + prefix + " is required for peer " + prefix);
            peers.add(new OutreachConfig.TransferPeer(prefix, url, keyBytes("OUTREACH_TRANSFER_KEY_" + prefix, key.strip())));
        }
        if (!peers.isEmpty() && own.isEmpty()) {
            throw new ConfigException("OUTREACH_JURISDICTION is required with OUTREACH_TRANSFER_PEERS (peers see it as the sender)");
        }
        return new OutreachConfig.Transfers(own, java.util.List.copyOf(peers),
                Duration.ofMinutes(intValue("OUTREACH_TRANSFER_ESCALATE_MINUTES", 45, 1, 59)),
                Duration.ofSeconds(intValue("OUTREACH_TRANSFER_TIMEOUT_SECONDS", 10, 1, 300)));
    }

    /**
     * OUTREACH_ID_KEY (AES-256: 32 bytes) and OUTREACH_ID_INDEX_KEY (HMAC, ≥ 32 bytes) together or not at all (then
     * generated into the data dir); OUTREACH_ID_KEYS_OLD: comma-separated keys that only decrypt, during a rotation.
     */
    private OutreachConfig.IdNumberKeys idNumberKeys() {
        // Blank is unset, as the shipped secrets template lists these names empty.
        String key = blankToNull(values.get("OUTREACH_ID_KEY"));
        String index = blankToNull(values.get("OUTREACH_ID_INDEX_KEY"));
        java.util.List<String> old = list(get("OUTREACH_ID_KEYS_OLD", ""));
        if (key == null && index == null) {
            if (!old.isEmpty()) throw new ConfigException("OUTREACH_ID_KEYS_OLD needs OUTREACH_ID_KEY (the new key)");
            return new OutreachConfig.IdNumberKeys(null, java.util.List.of(), null);
        }
        if (key == null || index == null) {
            throw new ConfigException("OUTREACH_ID_KEY and OUTREACH_ID_INDEX_KEY are set together (or neither: "
                    + "generated into the data dir)");
        }
        java.util.List<byte[]> oldKeys = new java.util.ArrayList<>();
        for (String o : old) oldKeys.add(aesKey("OUTREACH_ID_KEYS_OLD", o));
        return new OutreachConfig.IdNumberKeys(aesKey("OUTREACH_ID_KEY", key.strip()), java.util.List.copyOf(oldKeys),
                keyBytes("OUTREACH_ID_INDEX_KEY", index.strip()));
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    private static byte[] aesKey(String name, String v) {
        byte[] k = keyBytes(name, v);
        if (k.length != 32) throw new ConfigException(name + " must hold exactly 32 bytes (AES-256)");
        return k;
    }

    /** OUTREACH_TRUSTED_PROXIES: load balancers whose X-Forwarded-For is believed (IP addresses or CIDR ranges). */
    private java.util.List<String> trustedProxies() {
        java.util.List<String> out = list(get("OUTREACH_TRUSTED_PROXIES", ""));
        for (String p : out) {
            if (!p.matches("[0-9A-Fa-f:.]{2,45}(/\\d{1,3})?")) {
                throw new ConfigException("OUTREACH_TRUSTED_PROXIES holds IP addresses or CIDR ranges, got '" + p + "'");
            }
        }
        return java.util.List.copyOf(out);
    }

    /** "hex:…" or "base64:…", or bare: only hex digits (even count) is hex, anything else base64; ≥ 32 bytes. */
    static byte[] ledgerKey(String v) {
        return keyBytes("OUTREACH_LEDGER_KEY", v);
    }

    private static byte[] keyBytes(String name, String v) {
        byte[] key;
        try {
            if (v.startsWith("hex:")) key = java.util.HexFormat.of().parseHex(v.substring(4));
            else if (v.startsWith("base64:")) key = base64(v.substring(7));
            else if (v.matches("(?:[0-9a-fA-F]{2})+")) key = java.util.HexFormat.of().parseHex(v);
            else key = base64(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " must be hex or base64");
        }
        if (key.length < 32) throw new ConfigException(name + " must hold at least 32 bytes (256 bits)");
        return key;
    }

    private static byte[] base64(String v) {
        return v.contains("-") || v.contains("_") ? java.util.Base64.getUrlDecoder().decode(v)
                : java.util.Base64.getDecoder().decode(v);
    }

    private double percent(String key, int def) {
        return intValue(key, def, 0, 100) / 100.0;
    }

    private org.screening.outreach.ivr.twiml.TwilioVoices twilioVoices() {
        try {
            return org.screening.outreach.ivr.twiml.TwilioVoices.parse(values.get("OUTREACH_TWILIO_VOICES"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("OUTREACH_TWILIO_VOICES: " + e.getMessage());
        }
    }

    private RetryPlans retryPlans() {
        RetryPlans plans = RetryPlans.defaults();
        for (Category c : Category.values()) {
            String key = "OUTREACH_PLAN_" + c.name();
            String v = values.get(key);
            if (v != null) plans = plans.with(c, RetryPlanSetting.parse(key, v, plans.of(c)));
        }
        return plans;
    }

    private static void checkShares(OutreachConfig.Simulator s) {
        if (s.answerRate() + s.busyRate() + s.noAnswerRate() > 1.0 + 1e-9) {
            throw new ConfigException("OUTREACH_SIM_ANSWER_PERCENT + _BUSY_PERCENT + _NO_ANSWER_PERCENT must not exceed 100");
        }
    }

    private static QuietHours quietHours(String v, ZoneId zone) {
        String[] parts = v.strip().split("-");
        try {
            if (parts.length != 2) throw new java.time.format.DateTimeParseException("", v, 0);
            return new QuietHours(java.time.LocalTime.parse(parts[0].strip()), java.time.LocalTime.parse(parts[1].strip()), zone);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException("OUTREACH_QUIET_HOURS must look like 22:00-07:00, got '" + v + "'");
        }
    }

    private String get(String key, String def) {
        return values.getOrDefault(key, def);
    }

    private int intValue(String key, int def, int min, int max) {
        String v = values.get(key);
        if (v == null) return def;
        try {
            int i = Integer.parseInt(v.strip());
            if (i < min || i > max) throw new ConfigException(key + " must be between " + min + " and " + max);
            return i;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + v + "'");
        }
    }

    private String oneOf(String key, String def, String... allowed) {
        String v = get(key, def).strip();
        for (String a : allowed) if (a.equals(v)) return v;
        throw new ConfigException(key + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
    }

    private static ZoneId zone(String v) {
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw new ConfigException("OUTREACH_TIMEZONE is not a time zone: '" + v + "'");
        }
    }

    private static Duration duration(String key, String v) {
        try {
            Duration d = Duration.parse(v.strip().startsWith("P") ? v.strip() : "PT" + v.strip());
            if (d.isNegative() || d.isZero()) throw new ConfigException(key + " must be positive");
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException(key + " must be a duration such as 2H or PT90M, got '" + v + "'");
        }
    }

    private static java.util.List<String> list(String v) {
        return java.util.Arrays.stream(v.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}

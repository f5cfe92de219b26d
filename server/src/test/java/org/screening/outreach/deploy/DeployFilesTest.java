package org.screening.outreach.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.config.OutreachConfig;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MysqldOptionFile;
import org.screening.outreach.support.ShippedFiles;

/**
 * Keeps deploy/ honest: the compose file, env files, systemd unit, HAProxy and Prometheus files agree with each
 * other and with the server — every variable is one the server reads, every metric an alert uses is one a running
 * server exposes. Only {@link #everyMetricTheAlertsUseIsExposedByARunningServer} needs a database.
 */
class DeployFilesTest {
    static final Path DEPLOY = ShippedFiles.deploy("");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Where the server's configuration names come from: every name is a string literal there. */
    static final Path CONFIG_LOADER = Path.of("src/main/java/org/screening/outreach/config/ConfigLoader.java");
    static final Pattern OUR_VARIABLE = Pattern.compile("\\b((?:OUTREACH|TWILIO|ASTERISK)_[A-Z0-9_]*)");
    /** Names of secrets: they belong in the *secrets.env files only. */
    static final Pattern SECRET = Pattern.compile(".*(PASSWORD|TOKEN|SECRET|_KEY\\b|_KEY_).*");
    static final List<String> SERVER_SECRETS = List.of("OUTREACH_DB_PASSWORD", "OUTREACH_ADMIN_TOKEN",
            "OUTREACH_REPORT_KEY", "TWILIO_AUTH_TOKEN", "ASTERISK_AMI_SECRET", "OUTREACH_LEDGER_KEY", "OUTREACH_ID_KEY",
            "OUTREACH_ID_INDEX_KEY", "OUTREACH_ID_KEYS_OLD");
    /** Prometheus' own series and the labels it adds to every scraped one. */
    static final Set<String> PROMETHEUS_METRICS =
            Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS");
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    // ---------------------------------------------------------------------------------------------------- compose

    @Test
    void composeRunsMySql84TwoNodesTheBalancerAndPrometheusAllConfiguredFromFiles() throws IOException {
        JsonNode services = compose().get("services");
        assertThat(fieldNames(services))
                .containsExactlyInAnyOrder("mysql", "outreach-1", "outreach-2", "haproxy", "prometheus");
        assertThat(services.get("mysql").get("image").asText()).startsWith("mysql:8.4");
        assertThat(texts(services.get("mysql").get("volumes")))
                .contains("./mysql/outreach.cnf:/etc/mysql/conf.d/outreach.cnf:ro",
                        "./mysql/mysql84.cnf:/etc/mysql/conf.d/mysql84.cnf:ro");

        for (String node : nodes()) {
            JsonNode s = services.get(node);
            assertThat(texts(s.get("env_file"))).as(node).containsExactly("env/outreach.env", "env/secrets.env");
            assertThat(s.get("hostname").asText()).as("%s: its node name in claims and leases", node).isEqualTo(node);
            assertThat(s.get("stop_grace_period").asText()).as("%s: as systemd's TimeoutStopSec", node)
                    .isEqualTo(systemd().get("TimeoutStopSec").get(0) + "s");
            assertThat(s.get("depends_on").get("mysql").get("condition").asText()).isEqualTo("service_healthy");
            String health = texts(s.get("healthcheck").get("test")).toString();
            assertThat(health).as("%s health check on OUTREACH_HTTP_PORT", node).contains("/health")
                    .contains("/dev/tcp/127.0.0.1/" + env("outreach.env").get("OUTREACH_HTTP_PORT") + " ");
        }
        // All configuration lives in files a script can reuse: no inline environment, no ${…} interpolation.
        for (String name : fieldNames(services)) {
            assertThat(services.get(name).has("environment")).as("%s sets no inline environment", name).isFalse();
        }
        assertThat(Files.readString(DEPLOY.resolve("docker-compose.yml"))).doesNotContain("${");

        // Every file the compose file mounts or reads is in deploy/, except what the operator supplies (secrets).
        for (String name : fieldNames(services)) {
            JsonNode s = services.get(name);
            for (String file : texts(s.get("env_file"))) {
                Path p = DEPLOY.resolve(file);
                assertThat(Files.exists(p) || Files.exists(Path.of(p + ".example")))
                        .as("%s: env file %s or its .example", name, file).isTrue();
            }
            for (String volume : texts(s.get("volumes"))) {
                if (!volume.startsWith("./") || volume.startsWith("./secrets/")) continue;
                assertThat(DEPLOY.resolve(volume.substring(0, volume.indexOf(':')))).as("%s mounts", name).exists();
            }
        }
        JsonNode build = services.get("outreach-1").get("build");
        assertThat(DEPLOY.resolve(build.get("context").asText()).resolve(build.get("dockerfile").asText())).exists();
        assertThat(Files.readString(DEPLOY.resolve("Dockerfile"))).contains("COPY server/target/outreach-server.jar");
        assertThat(Files.readAllLines(DEPLOY.resolve(".gitignore")))
                .contains("env/secrets.env", "env/mysql-secrets.env", "secrets/");
    }

    @Test
    void theBalancerAndPrometheusReachEveryNodeOnItsPort() throws IOException {
        String port = env("outreach.env").get("OUTREACH_HTTP_PORT");
        Set<String> expected = new TreeSet<>();
        nodes().forEach(n -> expected.add(n + ":" + port));

        JsonNode prometheus = YAML.readTree(DEPLOY.resolve("prometheus/prometheus.yml").toFile());
        JsonNode outreachJob = null;
        for (JsonNode job : prometheus.get("scrape_configs")) {
            if (job.get("job_name").asText().equals("outreach")) outreachJob = job;
        }
        assertThat(outreachJob).as("scrape job 'outreach' (the alerts select job=\"outreach\")").isNotNull();
        assertThat(outreachJob.get("metrics_path").asText()).isEqualTo("/metrics");
        Set<String> targets = new TreeSet<>();
        for (JsonNode sc : outreachJob.get("static_configs")) targets.addAll(texts(sc.get("targets")));
        assertThat(targets).isEqualTo(expected);
        // The rule file is loaded from where compose mounts alerts.yml.
        List<String> prometheusMounts = texts(compose().get("services").get("prometheus").get("volumes"));
        for (String rules : texts(prometheus.get("rule_files"))) {
            assertThat(prometheusMounts).contains("./prometheus/alerts.yml:" + rules + ":ro");
        }

        // The cfg takes its addresses from env/haproxy.env ("${NAME}"), which compose gives the haproxy container.
        assertThat(texts(compose().get("services").get("haproxy").get("env_file"))).containsExactly("env/haproxy.env");
        Map<String, String> lb = env("haproxy.env");
        String haproxy = Files.readString(DEPLOY.resolve("haproxy/haproxy.cfg"));
        Matcher variable = Pattern.compile("\"\\$\\{([A-Z0-9_]+)}\"").matcher(haproxy);
        Set<String> read = new TreeSet<>();
        while (variable.find()) read.add(variable.group(1));
        assertThat(read).as("variables haproxy.cfg reads").isEqualTo(lb.keySet());
        for (Map.Entry<String, String> e : lb.entrySet()) haproxy = haproxy.replace("\"${" + e.getKey() + "}\"", e.getValue());
        Set<String> servers = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*server\\s+\\S+\\s+(\\S+:" + port + ")\\b").matcher(haproxy);
        while (m.find()) servers.add(m.group(1));
        assertThat(servers).as("haproxy HTTP backend servers").isEqualTo(expected);
        assertThat(haproxy).contains("http-check send meth GET uri /health");
        assertThat(haproxy).as("/metrics is not served to the outside").containsPattern("deny .*path /metrics");
        assertThat(haproxy).as("the webhooks' path reaches the node unchanged: Twilio signs it")
                .doesNotContain("set-path").doesNotContain("replace-path").doesNotContain("set-uri");
    }

    // ------------------------------------------------------------------------------------------- env and unit

    @Test
    void everyVariableInDeployIsOneTheServerReads() throws IOException {
        Set<String> known = configLoaderNames();
        assertThat(known).as("names read from ConfigLoader.java").contains("OUTREACH_HTTP_PORT", "OUTREACH_DB_URL",
                "TWILIO_AUTH_TOKEN", "ASTERISK_AMI_SECRET", "OUTREACH_TRANSFER_KEY_");
        Map<Path, Set<String>> used = new LinkedHashMap<>();
        for (Path f : envFiles()) used.put(f, new TreeSet<>(readEnv(f).keySet()));
        for (String file : List.of("systemd/outreach.service", "Dockerfile", "docker-compose.yml")) {
            used.put(DEPLOY.resolve(file), namesIn(Files.readString(DEPLOY.resolve(file))));
        }
        // The guides name variables too; OUTREACH_ATTEMPT is the Asterisk channel variable, not configuration.
        for (String doc : List.of("OPERATIONS.md", "README.md")) {
            Set<String> names = namesIn(Files.readString(DEPLOY.resolve(doc)));
            names.remove("OUTREACH_ATTEMPT");
            used.put(DEPLOY.resolve(doc), names);
        }
        List<String> unknown = new ArrayList<>();
        used.forEach((file, names) -> names.stream()
                .filter(n -> OUR_VARIABLE.matcher(n).matches())
                .filter(n -> !known.contains(n) && known.stream().noneMatch(k -> k.endsWith("_") && n.startsWith(k)))
                .forEach(n -> unknown.add(DEPLOY.relativize(file) + ": " + n)));
        assertThat(unknown).as("variables the server does not read (ConfigLoader)").isEmpty();
    }

    @Test
    void envFilesReadTheSameInComposeSystemdAndAShell() throws IOException {
        Pattern line = Pattern.compile("[A-Z][A-Z0-9_]*=[^\\s\"'`$#\\\\;&|<>()]*");
        for (Path f : envFiles()) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (l.isBlank() || l.startsWith("#")) continue;
                assertThat(l).as("%s line %d: KEY=value, no quotes, spaces, $, # or shell characters",
                        f.getFileName(), i + 1).matches(line);
            }
        }
    }

    @Test
    void theEnvFilesMakeAValidConfigurationForASharedDatabase() throws IOException {
        Map<String, String> env = composeEnvironment();
        OutreachConfig config = ConfigLoader.load(new String[0], env); // as Main does: blank = not set
        assertThat(config.embeddedDatabase()).as("nodes share one external database").isFalse();
        assertThat(config.publicUrl()).startsWith("https://");
        Map<String, String> mysql = env("mysql.env");
        assertThat(config.dbUrl()).endsWith("/" + mysql.get("MYSQL_DATABASE"));
        assertThat(config.dbUser()).isEqualTo(mysql.get("MYSQL_USER"));
        assertThat(readEnv(DEPLOY.resolve("env/mysql-secrets.env.example")).keySet())
                .containsExactlyInAnyOrder("MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD");
    }

    @Test
    void secretsAreOnlyInTheSecretsTemplatesAndEmptyThere() throws IOException {
        for (Path f : envFiles()) {
            Map<String, String> env = readEnv(f);
            boolean secretsFile = f.getFileName().toString().endsWith("secrets.env.example");
            for (var e : env.entrySet()) {
                if (secretsFile) {
                    assertThat(e.getValue()).as("%s: %s ships empty", f.getFileName(), e.getKey()).isEmpty();
                } else {
                    assertThat(e.getKey()).as("%s holds no secret", f.getFileName()).doesNotMatch(SECRET);
                }
            }
        }
        assertThat(readEnv(DEPLOY.resolve("env/secrets.env.example")).keySet()).containsAll(SERVER_SECRETS);
        assertThat(Files.readString(DEPLOY.resolve("systemd/outreach.service"))).doesNotContainPattern(
                "(?m)^Environment=.*(PASSWORD|TOKEN|SECRET|_KEY)");
    }

    @Test
    void theSystemdUnitIsHardenedAndStopsGracefully() throws IOException {
        Map<String, List<String>> unit = systemd();
        assertThat(unit.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(unit.get("ProtectSystem")).containsExactly("strict");
        assertThat(unit.get("PrivateTmp")).containsExactly("yes");
        assertThat(unit.get("ProtectHome")).containsExactly("yes");
        assertThat(unit.get("CapabilityBoundingSet")).as("no capabilities at all").containsExactly("");
        assertThat(unit).doesNotContainKey("MemoryDenyWriteExecute"); // the JIT needs W+X memory
        String dataDir = unit.get("Environment").stream().filter(e -> e.startsWith("OUTREACH_DATA_DIR="))
                .map(e -> e.substring(e.indexOf('=') + 1)).findFirst().orElseThrow();
        assertThat(unit.get("ReadWritePaths")).as("the data dir is writable").contains(dataDir);
        assertThat(unit.get("WorkingDirectory")).containsExactly(dataDir);
        assertThat(unit.get("EnvironmentFile")).containsExactly("/etc/outreach/outreach.env", "/etc/outreach/secrets.env");
        assertThat(unit.get("User")).containsExactly("outreach");
        assertThat(unit.get("ExecStart").get(0)).contains("-jar ").endsWith("outreach-server.jar");
        // SIGTERM: up to 20 s for work under way, then up to 30 s to close HTTP; the JVM exits with 143.
        assertThat(unit.get("KillSignal")).containsExactly("SIGTERM");
        assertThat(Integer.parseInt(unit.get("TimeoutStopSec").get(0))).isGreaterThanOrEqualTo(50);
        assertThat(unit.get("SuccessExitStatus")).containsExactly("143");
        assertThat(unit.get("Restart")).containsExactly("on-failure");
        assertThat(unit.get("RestartPreventExitStatus")).as("Main exits 2 on a configuration error").containsExactly("2");
    }

    @Test
    void mySqlSettingsAreThoseOfTheGuide() throws IOException {
        Map<String, String> shared = MysqldOptionFile.settings(DEPLOY.resolve("mysql/outreach.cnf"));
        assertThat(shared).containsEntry("binlog_format", "ROW").containsEntry("transaction_isolation", "READ-COMMITTED")
                .containsEntry("innodb_flush_log_at_trx_commit", "1").containsEntry("sync_binlog", "1")
                .containsEntry("character_set_server", "utf8mb4");
        Map<String, String> mysqlOnly = MysqldOptionFile.settings(DEPLOY.resolve("mysql/mysql84.cnf"));
        assertThat(mysqlOnly).containsEntry("gtid_mode", "ON");
        // The guide's two snippets are the two files' content, setting for setting, in that order.
        String guide = Files.readString(DEPLOY.resolve("OPERATIONS.md"));
        Matcher block = Pattern.compile("```ini\\n(\\[mysqld\\][\\s\\S]*?)```").matcher(guide);
        List<Map<String, String>> snippets = new ArrayList<>();
        while (block.find()) {
            Map<String, String> snippet = new LinkedHashMap<>();
            for (String l : block.group(1).split("\n")) {
                Matcher m = Pattern.compile("^([a-z_]+)\\s*=\\s*(\\S+)").matcher(l);
                if (m.find()) snippet.put(m.group(1), m.group(2));
            }
            snippets.add(snippet);
        }
        assertThat(snippets).as("OPERATIONS.md's [mysqld] snippets: outreach.cnf, then mysql84.cnf")
                .containsExactly(shared, mysqlOnly);
    }

    // ------------------------------------------------------------------------------------------------ alerts

    @Test
    void alertRulesAreWellFormed() throws IOException {
        JsonNode groups = YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile()).get("groups");
        assertThat(groups.isArray() && !groups.isEmpty()).isTrue();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode g : groups) {
            assertThat(g.get("name").asText()).isNotBlank();
            assertThat(g.get("rules").isArray() && !g.get("rules").isEmpty()).isTrue();
            for (JsonNode r : g.get("rules")) {
                String name = r.get("alert").asText();
                assertThat(names.add(name)).as("alert %s once", name).isTrue();
                assertThat(name).matches("Outreach[A-Z][A-Za-z]+");
                assertThat(r.get("expr").asText()).isNotBlank();
                if (r.has("for")) assertThat(r.get("for").asText()).matches("\\d+[smh]");
                assertThat(r.get("labels").get("severity").asText()).isIn("critical", "warning");
                assertThat(r.get("annotations").get("summary").asText()).isNotBlank();
                assertThat(r.get("annotations").get("description").asText()).isNotBlank();
            }
        }
        // Selectors are read the way the metric check below reads them.
        Set<String> metrics = new TreeSet<>();
        alertSelectors().forEach(s -> metrics.add(s.metric()));
        assertThat(metrics).contains("up", "cases", "job_lease_held", "capacity_shortfall_total", "ledger_feed_cases",
                "transfers_escalated_unacknowledged", "http_server_requests_seconds_count");
        assertThat(metrics).doesNotContain("sum", "rate", "by", "and", "instance", "status");
    }

    /** Starts a real server from deploy/env/outreach.env (on a test database), sends traffic, reads /metrics. */
    @Test
    @Tag("db")
    void everyMetricTheAlertsUseIsExposedByARunningServer(@TempDir Path dataDir) throws IOException {
        Map<String, String> env = composeEnvironment();
        try (MariaDbExtension.TestDb db = MariaDbExtension.freshSchema()) {
            env.put("OUTREACH_DB_URL", db.url());
            env.put("OUTREACH_DB_USER", "root");
            env.put("OUTREACH_DB_PASSWORD", "");
            env.put("OUTREACH_HTTP_PORT", "0");
            env.put("OUTREACH_DATA_DIR", dataDir.toString());
            env.put("OUTREACH_ADMIN_TOKEN", "deploy-test-admin");
            // The ledger feed's metrics exist only with a feed; nothing is sent (no case is pushed).
            env.put("OUTREACH_LEDGER_URL", "http://127.0.0.1:9/ledger");
            env.put("OUTREACH_LEDGER_KEY", "hex:" + "ab".repeat(32));
            OutreachServer server = OutreachServer.start(ConfigLoader.load(new String[0], env), Clock.systemUTC());
            Map<String, List<Map<String, String>>> exposed;
            try {
                Http http = new Http(server.port());
                // Traffic the HTTP rules select: health checks as the balancer sends them, and Twilio webhooks
                // without a signature (403), on the SMS and the voice routes.
                assertThat(http.get("/health", null).status()).isEqualTo(200);
                byte[] form = "CallSid=CA1&CallStatus=completed".getBytes(StandardCharsets.UTF_8);
                assertThat(http.post("/webhooks/twilio/sms/status", null, "application/x-www-form-urlencoded", form)
                        .status()).isEqualTo(403);
                assertThat(http.post("/webhooks/twilio/voice/123", null, "application/x-www-form-urlencoded", form)
                        .status()).isEqualTo(403);
                http.get("/metrics", null);
                Http.Reply metrics = http.get("/metrics", null);
                assertThat(metrics.status()).isEqualTo(200);
                exposed = exposition(metrics.body());
            } finally {
                server.stop();
            }

            List<String> problems = new ArrayList<>();
            for (Selector s : alertSelectors()) {
                if (PROMETHEUS_METRICS.contains(s.metric())) continue;
                List<Map<String, String>> series = exposed.get(s.metric());
                if (series == null) {
                    problems.add(s.metric() + ": not on /metrics");
                    continue;
                }
                for (LabelMatcher m : s.matchers()) {
                    if (TARGET_LABELS.contains(m.label())) continue;
                    // A label named like a target label is renamed by Prometheus: exported_job is the server's job.
                    String label = m.label().replaceFirst("^exported_", "");
                    if (series.stream().noneMatch(l -> l.containsKey(label))) {
                        problems.add(s.metric() + ": no label " + label);
                        continue;
                    }
                    // Values: exact ones must exist, except HTTP statuses this test cannot provoke (5xx, 503);
                    // regular expressions over routes must match a route the server really has.
                    boolean http = s.metric().startsWith("http_server_requests");
                    boolean checkValue = m.op().equals("=") ? !(http && label.equals("status"))
                            : m.op().equals("=~") && !label.equals("status");
                    if (!checkValue) continue;
                    Pattern re = Pattern.compile(m.op().equals("=~") ? m.value() : Pattern.quote(m.value()));
                    if (series.stream().map(l -> l.get(label)).noneMatch(v -> v != null && re.matcher(v).matches())) {
                        problems.add(s.metric() + ": no series with " + label + m.op() + "\"" + m.value() + "\"");
                    }
                }
            }
            // A server label named like a target label (job_lease_held's job) reaches the rules as exported_<name>:
            // grouping or matching on the bare name would silently use the scrape job instead.
            for (var e : exposed.entrySet()) {
                for (String clash : TARGET_LABELS) {
                    if (e.getValue().stream().noneMatch(l -> l.containsKey(clash))) continue;
                    Pattern misuse = Pattern.compile("\\b(by|without|on|ignoring)\\s*\\([^)]*\\b" + clash + "\\b"
                            + "|\\b" + Pattern.quote(e.getKey()) + "\\s*\\{[^}]*\\b" + clash + "\\s*[=!]");
                    for (String expr : alertExprs()) {
                        if (Pattern.compile("\\b" + Pattern.quote(e.getKey()) + "\\b").matcher(expr).find()
                                && misuse.matcher(expr).find()) {
                            problems.add(e.getKey() + ": use exported_" + clash + ", not " + clash + ", in: " + expr);
                        }
                    }
                }
            }
            assertThat(problems).as("alert selectors vs the server's /metrics").isEmpty();
        }
    }

    // ----------------------------------------------------------------------------------------------- helpers

    record LabelMatcher(String label, String op, String value) {}

    record Selector(String metric, List<LabelMatcher> matchers) {}

    static List<String> alertExprs() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode g : YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile()).get("groups")) {
            for (JsonNode r : g.get("rules")) out.add(r.get("expr").asText());
        }
        return out;
    }

    /** Every metric selector in alerts.yml: function names, keywords, grouping labels and ranges left out. */
    static List<Selector> alertSelectors() throws IOException {
        List<Selector> out = new ArrayList<>();
        Set<String> keywords = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
                "group_left", "group_right", "inf", "nan");
        Pattern name = Pattern.compile("(?<![\\w:.\"])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?");
        Pattern matcher = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
        for (String rule : alertExprs()) {
            String expr = rule.replaceAll("\\[[^\\]]*\\]", " ")
                    .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
            Matcher m = name.matcher(expr);
            while (m.find()) {
                String n = m.group(1);
                if (keywords.contains(n)) continue;
                if (m.group(2) == null && expr.substring(m.end()).stripLeading().startsWith("(")) continue; // function
                List<LabelMatcher> ms = new ArrayList<>();
                if (m.group(2) != null) {
                    Matcher lm = matcher.matcher(m.group(2));
                    while (lm.find()) ms.add(new LabelMatcher(lm.group(1), lm.group(2), lm.group(3).replace("\\\\", "\\")));
                }
                out.add(new Selector(n, ms));
            }
        }
        return out;
    }

    /** Prometheus text format: metric name → the label sets of its samples. */
    static Map<String, List<Map<String, String>>> exposition(String text) {
        Map<String, List<Map<String, String>>> out = new HashMap<>();
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        for (String l : text.split("\n")) {
            if (l.isBlank() || l.startsWith("#")) continue;
            int brace = l.indexOf('{');
            int space = l.indexOf(' ');
            String metric = l.substring(0, brace >= 0 && brace < space ? brace : space);
            Map<String, String> labels = new HashMap<>();
            if (brace >= 0 && brace < space) {
                Matcher m = label.matcher(l.substring(brace, l.lastIndexOf('}') + 1));
                while (m.find()) labels.put(m.group(1), m.group(2));
            }
            out.computeIfAbsent(metric, k -> new ArrayList<>()).add(labels);
        }
        return out;
    }

    /** The configuration names ConfigLoader reads: its string literals; one ending in "_" is a prefix. */
    static Set<String> configLoaderNames() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\"((?:OUTREACH|TWILIO|ASTERISK)_[A-Z0-9_]*)\"")
                .matcher(Files.readString(CONFIG_LOADER));
        while (m.find()) names.add(m.group(1));
        return names;
    }

    static Set<String> namesIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = OUR_VARIABLE.matcher(text);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    /** What a node's container gets: outreach.env, then secrets (the template: empty values, i.e. defaults). */
    static Map<String, String> composeEnvironment() throws IOException {
        Map<String, String> env = new HashMap<>(env("outreach.env"));
        env.putAll(readEnv(DEPLOY.resolve("env/secrets.env.example")));
        return env;
    }

    static Map<String, String> env(String file) throws IOException {
        return readEnv(DEPLOY.resolve("env").resolve(file));
    }

    static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.isBlank() || l.startsWith("#")) continue;
            int eq = l.indexOf('=');
            if (eq < 0) fail(file.getFileName() + ": not KEY=value: " + l);
            assertThat(env.put(l.substring(0, eq), l.substring(eq + 1))).as("%s sets %s twice", file.getFileName(),
                    l.substring(0, eq)).isNull();
        }
        return env;
    }

    static List<Path> envFiles() throws IOException {
        try (Stream<Path> files = Files.list(DEPLOY.resolve("env"))) {
            List<Path> list = files.filter(f -> f.getFileName().toString().matches(".*\\.env(\\.example)?"))
                    .filter(f -> !f.getFileName().toString().matches(".*secrets\\.env")) // an operator's filled-in copy
                    .sorted().toList();
            assertThat(list).isNotEmpty();
            return list;
        }
    }

    /** [Service] settings of the unit (a setting may repeat; an empty assignment is ""). */
    static Map<String, List<String>> systemd() throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String section = "";
        for (String l : Files.readAllLines(DEPLOY.resolve("systemd/outreach.service"))) {
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) continue;
            if (t.startsWith("[")) {
                section = t;
                continue;
            }
            if (!section.equals("[Service]")) continue;
            int eq = t.indexOf('=');
            out.computeIfAbsent(t.substring(0, eq), k -> new ArrayList<>()).add(t.substring(eq + 1));
        }
        return out;
    }

    static JsonNode compose() throws IOException {
        return YAML.readTree(DEPLOY.resolve("docker-compose.yml").toFile());
    }

    static List<String> nodes() throws IOException {
        return fieldNames(compose().get("services")).stream().filter(n -> n.startsWith("outreach-")).toList();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) return out;
        if (node.isArray()) node.forEach(n -> out.add(n.asText()));
        else out.add(node.asText());
        return out;
    }
}

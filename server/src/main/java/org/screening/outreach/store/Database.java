package org.screening.outreach.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.screening.outreach.privacy.IdNumbers;

/** The connection pool to MySQL/MariaDB; schema brought up to date by Flyway before anything else uses it. */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final IdNumbers idNumbers;

    private Database(HikariDataSource pool, IdNumbers idNumbers) {
        this.pool = pool;
        this.idNumbers = idNumbers;
    }

    /** Without ID number keys: for tools and tests whose rows carry no ID number (storing or reading one fails). */
    public static Database connect(String url, String user, String password, int poolSize) {
        return connect(url, user, password, poolSize, IdNumbers.unavailable());
    }

    /** {@code idNumbers}: the keys ID numbers are stored under (encrypted, with a blind index for lookups). */
    public static Database connect(String url, String user, String password, int poolSize, IdNumbers idNumbers) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(withDefaults(url));
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(poolSize);
        c.setPoolName("outreach-db");
        c.setConnectionTimeout(10_000);
        c.setInitializationFailTimeout(30_000);
        // No gap locks: concurrent intake batches and SKIP LOCKED claims would otherwise deadlock on ranges that
        // hold no rows; correctness comes from unique keys and conditional updates, not from range locks.
        c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        Database db = new Database(new HikariDataSource(c), idNumbers);
        Flyway.configure().dataSource(db.pool).locations("classpath:db/migration").load().migrate();
        return db;
    }

    /**
     * UTC on the wire and multi-row batch rewriting for intake speed, unless the URL says otherwise; the driver
     * keeps autocommit and isolation state itself instead of asking the server (one round trip less per
     * transaction, which an IVR step pays several times) and caches statement parsing. A socket that stays silent
     * for 2 minutes is given up (a database host that vanished without closing its connections would otherwise hold
     * a worker for ever; no statement here waits that long: lock waits end after 50 s).
     */
    private static String withDefaults(String url) {
        StringBuilder u = new StringBuilder(url);
        char sep = url.contains("?") ? '&' : '?';
        for (String p : new String[] {"connectionTimeZone=UTC", "forceConnectionTimeZoneToSession=true",
                "rewriteBatchedStatements=true", "characterEncoding=UTF-8", "allowPublicKeyRetrieval=true",
                "useSSL=false", "useLocalSessionState=true", "cachePrepStmts=true", "prepStmtCacheSize=250",
                "connectTimeout=10000", "socketTimeout=120000"}) {
            if (!url.contains(p.substring(0, p.indexOf('=') + 1))) {
                u.append(sep).append(p);
                sep = '&';
            }
        }
        return u.toString();
    }

    /**
     * The pool's own figures (hikaricp_connections_active / _idle / _pending / _timeout_total, tag pool=outreach-db):
     * workers waiting for a connection show before requests time out.
     */
    public void bindMetrics(MeterRegistry registry) {
        pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }

    /** The cipher and blind index of ID numbers in this database. */
    public IdNumbers idNumbers() {
        return idNumbers;
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** True when the database answers a trivial query within two seconds. */
    public boolean isReachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}

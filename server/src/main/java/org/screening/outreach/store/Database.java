package org.screening.outreach.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The connection pool to MySQL/MariaDB; schema brought up to date by Flyway before anything else uses it. */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    public static Database connect(String url, String user, String password, int poolSize) {
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
        Database db = new Database(new HikariDataSource(c));
        Flyway.configure().dataSource(db.pool).locations("classpath:db/migration").load().migrate();
        return db;
    }

    /**
     * UTC on the wire and multi-row batch rewriting for intake speed, unless the URL says otherwise; the driver
     * keeps autocommit and isolation state itself instead of asking the server (one round trip less per
     * transaction, which an IVR step pays several times) and caches statement parsing.
     */
    private static String withDefaults(String url) {
        StringBuilder u = new StringBuilder(url);
        char sep = url.contains("?") ? '&' : '?';
        for (String p : new String[] {"connectionTimeZone=UTC", "forceConnectionTimeZoneToSession=true",
                "rewriteBatchedStatements=true", "characterEncoding=UTF-8", "allowPublicKeyRetrieval=true",
                "useSSL=false", "useLocalSessionState=true", "cachePrepStmts=true", "prepStmtCacheSize=250"}) {
            if (!url.contains(p.substring(0, p.indexOf('=') + 1))) {
                u.append(sep).append(p);
                sep = '&';
            }
        }
        return u.toString();
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

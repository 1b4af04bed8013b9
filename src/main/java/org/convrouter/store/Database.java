package org.convrouter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Opens the database: an H2 file database (PostgreSQL mode) in the data folder by default, for one
 * instance, or the PostgreSQL server a JDBC URL names, for any number of instances. Migrates the
 * schema ({@link Migrations}) before anything reads it.
 */
public final class Database implements AutoCloseable {

    /** H2's error code for a database file locked by another process. */
    private static final int H2_IN_USE = 90020;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    public static Database open(String jdbcUrl) {
        Database database = new Database(pool(jdbcUrl, 16));
        Migrations.migrate(database.dataSource);
        return database;
    }

    /**
     * The embedded database. WRITE_DELAY=0 writes every commit to the file before it returns, so a
     * change answered survives kill -9 of the process (H2 does not sync each commit to the disk:
     * PostgreSQL is the store that survives power loss). H2 locks its file, so a second process on
     * the same data folder is refused.
     */
    public static Database embedded(Path dataDir) {
        String file = dataDir.toAbsolutePath().resolve("router").toString();
        HikariDataSource pool;
        try {
            pool = pool("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                    + "WRITE_DELAY=0;LOCK_TIMEOUT=10000", 8);
        } catch (RuntimeException e) {
            if (inUse(e)) {
                throw new IllegalStateException("the data folder " + dataDir.toAbsolutePath() + " is in use by another "
                        + "process: the embedded database serves one instance; run several on PostgreSQL (--db-url)", e);
            }
            throw e;
        }
        Database database = new Database(pool);
        LegacyJournal.replay(pool, dataDir); // on the schema the journal was written for, before any migration
        Migrations.migrate(pool);
        return database;
    }

    private static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setPoolName("router-db");
        return new HikariDataSource(config);
    }

    private static boolean inUse(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == H2_IN_USE) {
                return true;
            }
        }
        return false;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** True when a trivial query answers. */
    public boolean healthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

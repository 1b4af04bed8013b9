package org.convrouter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * Opens the database: an H2 file database (PostgreSQL mode) in the data folder by default, or the
 * PostgreSQL server a JDBC URL names. Migrates the schema with Flyway before anything reads it.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(8);
        config.setPoolName("router-db");
        this.dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.jdbi = Jdbi.create(dataSource);
    }

    public static Database open(String jdbcUrl) {
        return new Database(jdbcUrl);
    }

    /**
     * The embedded database. WRITE_DELAY=0 makes every commit reach the file before the call
     * returns (H2 defaults to 500 ms, which loses the last commits on kill -9); group commit keeps
     * that affordable. A 64 MB page cache keeps the hot pages of a long history in memory.
     */
    public static Database embedded(Path dataDir) {
        String file = dataDir.toAbsolutePath().resolve("router").toString();
        return new Database("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;CACHE_SIZE=65536");
    }

    public Jdbi jdbi() {
        return jdbi;
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

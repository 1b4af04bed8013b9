package org.convrouter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.LocalTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Opens the database: an H2 file database (PostgreSQL mode) in the data folder by default, or the
 * PostgreSQL server a JDBC URL names. Migrates the schema ({@link Migrations}) before anything reads it.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Journal journal;

    private Database(String url, Path journalFile) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(8);
        config.setPoolName("router-db");
        this.dataSource = new HikariDataSource(config);
        this.jdbi = Jdbi.create(dataSource);
        this.journal = journalFile == null ? null : new Journal(journalFile);
        if (journal != null) {
            recover(); // on the schema the journal was written for, before any migration changes it
        }
        int migrated = Migrations.migrate(dataSource);
        if (journal != null) {
            if (migrated > 0) { // H2 writes pages lazily: a new schema is written down before anything uses it
                try (Connection connection = dataSource.getConnection()) {
                    writeDown(connection);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot write the migrated schema down", e);
                }
            }
            startJournalAfterHeldBatch();
            jdbi.setTransactionHandler(new CheckpointAfterCommit());
        }
    }

    public static Database open(String jdbcUrl) {
        return new Database(jdbcUrl, null);
    }

    /**
     * The embedded database. H2 writes its pages lazily (WRITE_DELAY: within 2 s, so pages that
     * every request touches are written once per interval rather than once per commit), which
     * alone would lose the last commits on kill -9; nothing answered is lost because conversation
     * writes are journaled and forced to disk before they commit ({@link GroupCommitWriter}), and
     * every other transaction is checkpointed as it commits. The page cache is 16 MB: H2 replaces
     * cached pages with copies on every write, so a larger cache is mostly old garbage for the
     * collector; side by side (bench/http/compare.sh), 16 MB against 64 MB routed 8% more per CPU
     * second on an empty database and as much with 1,000,000 stored, and halved full-collection
     * pauses (74 against 106 ms; 83 against 168 ms with 1,000,000 stored).
     */
    public static Database embedded(Path dataDir) {
        String file = dataDir.toAbsolutePath().resolve("router").toString();
        return new Database("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=2000;CACHE_SIZE=16384", dataDir.resolve("router.journal"));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The embedded database's journal, or null when commits are durable by themselves (PostgreSQL). */
    Journal journal() {
        return journal;
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
        if (journal != null) {
            journal.close();
        }
    }

    /**
     * Replays the journal batches the database does not hold yet (written before a crash), each
     * in its own transaction with its position, then writes everything down.
     */
    private void recover() {
        try {
            if (journal.isEmpty()) {
                return; // nothing to replay (and on a new database, no schema yet)
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal", e);
        }
        try (Connection connection = dataSource.getConnection()) {
            List<Journal.Batch> missing = journal.readAfter(heldSeq());
            connection.setAutoCommit(false);
            try (SqlWrite.Runner runner = new SqlWrite.Runner(connection)) {
                for (Journal.Batch batch : missing) {
                    for (List<SqlWrite> write : batch.writes()) {
                        runner.run(write);
                    }
                    runner.run(new SqlWrite(Sql.MARK_JOURNAL, batch.seq()));
                    connection.commit();
                }
            }
            connection.setAutoCommit(true);
            writeDown(connection); // then startJournalAfterHeldBatch empties the journal
        } catch (SQLException e) {
            throw new IllegalStateException("cannot replay the journal into the database", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal", e);
        }
    }

    /** Makes the embedded database write every committed page to its file and sync it. */
    static void writeDown(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        }
    }

    /** The last journal batch the database holds. */
    private long heldSeq() {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq FROM journal_position WHERE id = 1").mapTo(Long.class).one());
    }

    /** New batches continue after the last one the database holds, so its position only ever moves forward. */
    private void startJournalAfterHeldBatch() {
        try {
            journal.clear(heldSeq()); // the database now holds every batch the journal had
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the journal", e);
        }
    }

    /**
     * Transactions other than the journaled group commits (directory, contacts, tokens, rule
     * history) are written down and synced as they commit, so an answered change survives kill -9
     * and power loss like a journaled one; a journaled conversation may name a contact created
     * just before it, which its replay needs.
     */
    private static final class CheckpointAfterCommit extends DelegatingTransactionHandler {
        CheckpointAfterCommit() {
            super(new LocalTransactionHandler());
        }

        @Override
        public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
            return checkpointed(handle, super.inTransaction(handle, callback));
        }

        @Override
        public <R, X extends Exception> R inTransaction(Handle handle, TransactionIsolationLevel level,
                                                        HandleCallback<R, X> callback) throws X {
            return checkpointed(handle, super.inTransaction(handle, level, callback));
        }

        private <R> R checkpointed(Handle handle, R result) {
            if (!handle.isInTransaction()) { // the outermost transaction has committed
                handle.execute("CHECKPOINT SYNC");
            }
            return result;
        }
    }
}

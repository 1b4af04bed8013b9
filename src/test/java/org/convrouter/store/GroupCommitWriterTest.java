package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.convrouter.error.StorageUnconfirmedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the group commit answers when the database or the journal fails around a commit: a batch
 * that fails to commit is never journaled, one that has committed is stored whatever fails after
 * it, and one the disk can confirm neither way is reported as unconfirmed, never as not having
 * happened.
 */
class GroupCommitWriterTest {

    @TempDir
    Path dir;

    private static final Timestamp AT = Timestamp.from(Instant.parse("2026-11-25T10:00:00Z"));
    private static final List<SqlWrite> MESSAGE = List.of(new SqlWrite(Sql.INSERT_MESSAGE, "m1", "c1", 0, null, "hi", null, AT));

    /** What a connection of an intercepting data source does instead of its own method. */
    private interface Failure {
        Object instead(Connection real, Method method, Object[] args) throws Throwable;
    }

    @Test
    void aStatementThatFailsToCloseFailsOnlyItsUncommittedBatchWhichIsRetried() throws Exception {
        try (Database db = embeddedWithConversation()) {
            Failure closeFails = (connection, method, args) -> {
                PreparedStatement real = (PreparedStatement) call(connection, method, args);
                return proxy(PreparedStatement.class, (p, m, a) -> {
                    Object result = call(real, m, a);
                    if (m.getName().equals("close")) {
                        throw new SQLException("injected: closing a statement failed");
                    }
                    return result;
                });
            };
            GroupCommitWriter writer = new GroupCommitWriter(failing(db.dataSource(), "prepareStatement", closeFails), db.journal());
            writer.submit(MESSAGE).get(10, TimeUnit.SECONDS);
            writer.close();

            assertThat(one(db, "SELECT COUNT(*) FROM messages")).isEqualTo("1");
            assertThat(db.journal().readAfter(0)).hasSize(1); // the failed attempt was never journaled; the retry is
        }
    }

    @Test
    void aConnectionThatFailsToCloseAfterItsCommitLeavesTheBatchStoredAndAnswered() throws Exception {
        try (Database db = embeddedWithConversation()) {
            Failure closeFails = (connection, method, args) -> {
                call(connection, method, args);
                throw new SQLException("injected: closing the connection failed");
            };
            GroupCommitWriter writer = new GroupCommitWriter(failing(db.dataSource(), "close", closeFails), db.journal());
            writer.submit(MESSAGE).get(10, TimeUnit.SECONDS); // not retried: a retry would collide with the stored row
            assertThat(writer.healthy()).isTrue();
            writer.close();

            assertThat(one(db, "SELECT COUNT(*) FROM messages")).isEqualTo("1");
            assertThat(db.journal().readAfter(0)).hasSize(1);
        }
    }

    @Test
    void aBatchThatFailsToCommitIsRetriedAndOnlyTheRetryIsJournaled() throws Exception {
        try (Database db = embeddedWithConversation()) {
            Failure commitFails = (connection, method, args) -> {
                throw new SQLException("injected: the commit failed");
            };
            GroupCommitWriter writer = new GroupCommitWriter(failing(db.dataSource(), "commit", commitFails), db.journal());
            writer.submit(MESSAGE).get(10, TimeUnit.SECONDS);
            writer.close();

            assertThat(one(db, "SELECT COUNT(*) FROM messages")).isEqualTo("1");
            assertThat(db.journal().readAfter(0)).singleElement()
                    .satisfies(batch -> assertThat(one(db, "SELECT seq FROM journal_position")).isEqualTo(String.valueOf(batch.seq())));
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "/dev/full, which refuses every write, is Linux's")
    void aCommittedBatchTheJournalRefusesIsWrittenDownInsteadAndLaterBatchesAreRefused() throws Exception {
        try (Database db = embeddedWithConversation();
             Journal full = new Journal(Path.of("/dev/full"))) { // every write refused, no truncation possible
            AtomicInteger checkpoints = new AtomicInteger();
            GroupCommitWriter writer = new GroupCommitWriter(counting(db.dataSource(), "createStatement", checkpoints), full);
            writer.submit(MESSAGE).get(10, TimeUnit.SECONDS);

            assertThat(checkpoints).hasValue(1); // answered as stored only once the database was written down
            assertThat(one(db, "SELECT COUNT(*) FROM messages")).isEqualTo("1");
            assertThat(writer.healthy()).isFalse(); // the journal takes nothing more until a restart
            Throwable next = writer.submit(MESSAGE).handle((ok, e) -> e).get(10, TimeUnit.SECONDS);
            assertThat(next).hasMessageContaining("could not be repaired"); // refused before it is committed
            assertThat(one(db, "SELECT COUNT(*) FROM messages")).isEqualTo("1");
            writer.close();
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "/dev/full, which refuses every write, is Linux's")
    void aCommittedBatchThatCanBeNeitherJournaledNorWrittenDownIsUnconfirmed() throws Exception {
        try (Database db = embeddedWithConversation();
             Journal full = new Journal(Path.of("/dev/full"))) {
            Failure checkpointFails = (connection, method, args) -> {
                throw new SQLException("injected: the checkpoint failed");
            };
            GroupCommitWriter writer = new GroupCommitWriter(failing(db.dataSource(), "createStatement", checkpointFails), full);
            Throwable failure = writer.submit(MESSAGE).handle((ok, e) -> e).get(10, TimeUnit.SECONDS);

            assertThat(failure).isInstanceOf(StorageUnconfirmedException.class).hasMessageContaining("could not be confirmed");
            assertThat(one(db, "SELECT COUNT(*) FROM messages")).isEqualTo("1"); // made, so never reported as not made
            assertThat(writer.healthy()).isFalse();
            writer.close();
        }
    }

    private Database embeddedWithConversation() {
        Database db = Database.embedded(dir);
        db.jdbi().useHandle(h -> h.execute("INSERT INTO conversations (id, channel_id, channel_kind, inbox_id, status, created_at) "
                + "VALUES ('c1', 'chat', 'CHAT', 'open', 'OPEN', ?)", AT));
        return db;
    }

    /** The data source, with the first call of {@code method} on any of its connections made by {@code failure}. */
    private static DataSource failing(DataSource real, String method, Failure failure) {
        AtomicBoolean failed = new AtomicBoolean();
        return intercepting(real, method, (connection, m, a) ->
                failed.compareAndSet(false, true) ? failure.instead(connection, m, a) : call(connection, m, a));
    }

    /** The data source, counting the calls of {@code method} on its connections. */
    private static DataSource counting(DataSource real, String method, AtomicInteger calls) {
        return intercepting(real, method, (connection, m, a) -> {
            calls.incrementAndGet();
            return call(connection, m, a);
        });
    }

    /** The data source, with every call of {@code method} on its connections made by {@code instead}. */
    private static DataSource intercepting(DataSource real, String method, Failure instead) {
        return proxy(DataSource.class, (p, m, a) -> {
            Object result = call(real, m, a);
            if (!m.getName().equals("getConnection")) {
                return result;
            }
            Connection connection = (Connection) result;
            return proxy(Connection.class, (pc, mc, ac) ->
                    mc.getName().equals(method) ? instead.instead(connection, mc, ac) : call(connection, mc, ac));
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String one(Database db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }
}

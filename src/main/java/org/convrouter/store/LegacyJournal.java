package org.convrouter.store;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a data folder written by builds that kept a write-ahead journal beside the embedded
 * database ({@code router.journal}, and {@code router.journal.old} while one was retired): the
 * batches the database does not hold yet (after {@code journal_position}) are replayed, the
 * database is written down, and the journal files are deleted. Runs once, before the schema is
 * migrated, on the schema those builds wrote.
 *
 * <p>A record is {@code [int length][long seq][int crc32][payload]}; a payload is one batch (its
 * count of writes, each a count of statements) or, after the mark {@code -1}, several batches each
 * with its own sequence number. A statement is its name and its values, each behind a presence flag.
 * A record that does not read whole (a crash mid-append, never answered), or zeros where a record
 * would start (a file system's torn tail), ends the journal.
 */
final class LegacyJournal {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyJournal.class);
    private static final int GROUP = -1;

    /** The statements those builds journaled, by the name a record gives, with their values' types. */
    private record Journaled(String sql, String types) {}

    private static final Map<String, Journaled> STATEMENTS = Map.of(
            "INSERT_ROSTER", new Journaled("INSERT INTO rosters (id, members) VALUES (?, ?) ON CONFLICT DO NOTHING", "ss"),
            "INSERT_CONTACT_IF_ABSENT", new Journaled("INSERT INTO contacts (id, email, name, owner_id, cookie_tracked) "
                    + "SELECT ?, ?, ?, NULL, FALSE WHERE NOT EXISTS (SELECT 1 FROM contacts WHERE id = ?)", "ssss"),
            "INSERT_DECISION", new Journaled("INSERT INTO decisions (id, body) VALUES (?, ?)", "ss"),
            "INSERT_NOTIFICATION", new Journaled("INSERT INTO notifications (id, conversation_id, channel, user_id, address, "
                    + "subject, text, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "ssssssst"),
            "INSERT_CONVERSATION", new Journaled("INSERT INTO conversations (id, channel_id, channel_kind, inbox_id, contact_id, "
                    + "status, assignee_type, assignee_id, decision_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ssssssssst"),
            "INSERT_MESSAGE", new Journaled("INSERT INTO messages (id, conversation_id, seq, author_user_id, text, subject, at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", "ssissst"),
            "INSERT_ASSIGNMENT_CHANGE", new Journaled("INSERT INTO assignment_changes (conversation_id, seq, at, from_type, "
                    + "from_id, to_type, to_id, by_user_id, cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "sitssssss"),
            "STAMP_LAST_CHAT_ASSIGNMENT", new Journaled("UPDATE users SET last_chat_assigned_at = ? WHERE id = ?", "ts"),
            "UPDATE_ASSIGNEE", new Journaled("UPDATE conversations SET assignee_type = ?, assignee_id = ? WHERE id = ?", "sss"),
            "UPDATE_STATUS", new Journaled("UPDATE conversations SET status = ? WHERE id = ?", "ss"));

    private LegacyJournal() {}

    /** Replays and deletes the journal files in {@code dataDir}, if there are any. */
    static void replay(DataSource dataSource, Path dataDir) {
        Path current = dataDir.resolve("router.journal");
        Path retired = dataDir.resolve("router.journal.old");
        if (!Files.exists(current) && !Files.exists(retired)) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            long held = heldSeq(connection);
            connection.setAutoCommit(false);
            long replayed = 0;
            for (Path file : List.of(retired, current)) { // a retired journal holds the older batches
                if (Files.exists(file)) {
                    replayed += replay(file, held, connection);
                }
            }
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT SYNC"); // written down before the journal that held them goes
            }
            Files.deleteIfExists(retired);
            Files.deleteIfExists(current);
            LOG.info("replayed {} journaled batches into the database and removed the journal", replayed);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot replay the journal into the database: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal in " + dataDir, e);
        }
    }

    private static long heldSeq(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT seq FROM journal_position WHERE id = 1")) {
            return row.next() ? row.getLong(1) : 0;
        } catch (SQLException e) {
            return 0; // a database created by a build that never journaled: nothing in it came from a journal
        }
    }

    /** Replays the whole batches of one file above {@code held}, each in a transaction of its own; answers how many. */
    private static long replay(Path file, long held, Connection connection) throws IOException, SQLException {
        long replayed = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            while (true) {
                byte[] payload;
                long seq;
                try {
                    int length = in.readInt();
                    seq = in.readLong();
                    int expected = in.readInt();
                    if (length < 4 || length > Files.size(file)) { // every payload starts with a count: zeros are no record
                        return replayed;
                    }
                    payload = in.readNBytes(length);
                    CRC32 crc = new CRC32();
                    crc.update(payload);
                    if (payload.length != length || (int) crc.getValue() != expected) {
                        return replayed;
                    }
                } catch (EOFException e) {
                    return replayed;
                }
                replayed += replayRecord(seq, payload, held, connection);
            }
        }
    }

    private static long replayRecord(long seq, byte[] payload, long held, Connection connection)
            throws IOException, SQLException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int count = in.readInt();
        if (count != GROUP) {
            return replayBatch(seq, count, in, held, connection);
        }
        long replayed = 0;
        int batches = in.readInt();
        for (int b = 0; b < batches; b++) {
            long batchSeq = in.readLong();
            replayed += replayBatch(batchSeq, in.readInt(), in, held, connection);
        }
        return replayed;
    }

    /** Reads one batch of {@code writes} and, when the database does not hold it yet, runs it with its position. */
    private static long replayBatch(long seq, int writes, DataInputStream in, long held, Connection connection)
            throws IOException, SQLException {
        boolean missing = seq > held;
        for (int w = 0; w < writes; w++) {
            int statements = in.readInt();
            for (int s = 0; s < statements; s++) {
                String name = in.readUTF();
                Journaled statement = STATEMENTS.get(name);
                if (statement == null) {
                    throw new IllegalStateException("the journal holds a statement this build does not know (" + name + ")");
                }
                try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
                    for (int i = 0; i < statement.types().length(); i++) {
                        bind(prepared, i + 1, statement.types().charAt(i), in);
                    }
                    if (missing) {
                        prepared.executeUpdate();
                    }
                }
            }
        }
        if (!missing) {
            return 0;
        }
        try (PreparedStatement mark = connection.prepareStatement("UPDATE journal_position SET seq = ? WHERE id = 1")) {
            mark.setLong(1, seq);
            mark.executeUpdate();
        }
        connection.commit();
        return 1;
    }

    private static void bind(PreparedStatement statement, int index, char type, DataInputStream in)
            throws IOException, SQLException {
        if (!in.readBoolean()) {
            statement.setNull(index, switch (type) {
                case 'i' -> Types.INTEGER;
                case 'l' -> Types.BIGINT;
                case 't' -> Types.TIMESTAMP_WITH_TIMEZONE;
                default -> Types.VARCHAR;
            });
            return;
        }
        switch (type) {
            case 's' -> statement.setString(index, new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8));
            case 'i' -> statement.setInt(index, in.readInt());
            case 'l' -> statement.setLong(index, in.readLong());
            case 't' -> statement.setTimestamp(index, Timestamp.from(Instant.ofEpochSecond(in.readLong(), in.readInt())));
            default -> throw new IllegalStateException("unknown parameter type " + type);
        }
    }
}

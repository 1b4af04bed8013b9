package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32;
import org.convrouter.support.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data folder written by builds that journaled conversation writes upgrades on first start with nothing lost. */
class LegacyJournalTest {

    @TempDir
    Path data;

    @Test
    void journaledBatchesTheDatabaseDoesNotHoldAreReplayedBeforeMigratingAndTheJournalGoes() throws Exception {
        legacyDatabaseAtVersion5(); // journal_position at 1: batch 1 is held, batch 2 is not
        ByteArrayOutputStream journal = new ByteArrayOutputStream();
        record(journal, 1, conversation("held-before", "ana")); // already in the database: not run again
        record(journal, 2, conversation("only-journaled", "ana"));
        journal.write(new byte[4096]); // a torn tail read back as zeros, never answered
        Files.write(data.resolve("router.journal"), journal.toByteArray());

        try (Database database = Database.embedded(data)) {
            org.jdbi.v3.core.Jdbi jdbi = database.jdbi();
            List<String> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM conversations ORDER BY id").mapTo(String.class).list());
            assertThat(ids)
                    .containsExactly("held-before", "only-journaled");
            String text = jdbi.withHandle(h -> h.createQuery("SELECT text FROM messages WHERE conversation_id = 'only-journaled'")
                    .mapTo(String.class).one());
            assertThat(text).isEqualTo("Hello from only-journaled");
            int openChats = jdbi.withHandle(h -> h.createQuery("SELECT open_chats FROM users WHERE id = 'ana'").mapTo(Integer.class).one());
            assertThat(openChats).as("loads are counted from the replayed conversations").isEqualTo(2);
        }
        assertThat(data.resolve("router.journal")).doesNotExist();
    }

    /** The schema the journaling builds left (scripts V1-V5 with their history rows), one user and one conversation held. */
    private void legacyDatabaseAtVersion5() throws Exception {
        String url = "jdbc:h2:file:" + data.toAbsolutePath().resolve("router") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (Connection c = DriverManager.getConnection(url); Statement sql = c.createStatement()) {
            sql.execute("CREATE TABLE schema_history (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL, "
                    + "sha256 VARCHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            List<String> scripts = List.of("V1__schema.sql", "V2__journal_position.sql", "V3__fewer_conversation_indexes.sql",
                    "V4__rosters.sql", "V5__contact_emails_without_case.sql");
            for (int v = 1; v <= scripts.size(); v++) {
                String script = script(scripts.get(v - 1));
                sql.execute(script);
                sql.execute("INSERT INTO schema_history VALUES (" + v + ", '" + scripts.get(v - 1) + "', '"
                        + Sha256.hex(script) + "', CURRENT_TIMESTAMP)");
            }
            sql.execute("INSERT INTO users (id, name, email, seat, available, active) VALUES ('ana', 'Ana', 'ana@x.test', 'SERVICE', TRUE, TRUE)");
            sql.execute("INSERT INTO conversations (id, channel_id, channel_kind, inbox_id, status, assignee_type, assignee_id, created_at) "
                    + "VALUES ('held-before', 'chat', 'CHAT', 'in', 'OPEN', 'USER', 'ana', CURRENT_TIMESTAMP)");
            sql.execute("UPDATE journal_position SET seq = 1");
        }
    }

    private static String script(String name) throws IOException {
        try (InputStream in = LegacyJournalTest.class.getClassLoader().getResourceAsStream("db/migration/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One batch with one write: a chat conversation assigned to {@code user} and its first message, as those builds journaled it. */
    private static byte[] conversation(String id, String user) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(1); // writes in the batch
        out.writeInt(2); // statements in the write
        out.writeUTF("INSERT_CONVERSATION");
        for (String value : new String[] {id, "chat", "CHAT", "in", null, "OPEN", "USER", user, null}) {
            text(out, value);
        }
        timestamp(out, Instant.parse("2026-11-01T09:00:00Z"));
        out.writeUTF("INSERT_MESSAGE");
        text(out, "m-" + id);
        text(out, id);
        out.writeBoolean(true);
        out.writeInt(0);
        text(out, null);
        text(out, "Hello from " + id);
        text(out, null);
        timestamp(out, Instant.parse("2026-11-01T09:00:00Z"));
        out.flush();
        return bytes.toByteArray();
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static void timestamp(DataOutputStream out, Instant at) throws IOException {
        out.writeBoolean(true);
        out.writeLong(at.getEpochSecond());
        out.writeInt(at.getNano());
    }

    private static void record(ByteArrayOutputStream journal, long seq, byte[] payload) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(payload);
        DataOutputStream out = new DataOutputStream(journal);
        out.writeInt(payload.length);
        out.writeLong(seq);
        out.writeInt((int) crc.getValue());
        out.write(payload);
        out.flush();
    }
}

package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database's write-ahead journal, and the replay that brings a crashed database up to date. */
class JournalTest {

    @TempDir
    Path dir;

    private static final Timestamp AT = Timestamp.from(Instant.parse("2026-11-25T10:00:00.123456Z"));

    @Test
    void batchesReadBackExactlyAfterAGivenPosition() throws IOException {
        List<SqlWrite> first = List.of(new SqlWrite(Sql.INSERT_MESSAGE, "m1", "c1", 0, null, "Hello ✓", null, AT));
        List<SqlWrite> second = List.of(new SqlWrite(Sql.UPDATE_STATUS, "CLOSED", "c1"),
                new SqlWrite(Sql.STAMP_LAST_CHAT_ASSIGNMENT, AT, "ana"));
        try (Journal journal = new Journal(dir.resolve("j"))) {
            append(journal, 1, List.of(first));
            append(journal, 2, List.of(second, first));
        }
        try (Journal journal = new Journal(dir.resolve("j"))) {
            List<Journal.Batch> all = journal.readAfter(0);
            assertThat(all).extracting(Journal.Batch::seq).containsExactly(1L, 2L);
            assertThat(all.get(1).writes()).hasSize(2);
            SqlWrite message = all.get(0).writes().get(0).get(0);
            assertThat(message.sql()).isEqualTo(Sql.INSERT_MESSAGE);
            assertThat(message.values()).containsExactly("m1", "c1", 0, null, "Hello ✓", null, AT);
            assertThat(all.get(1).writes().get(0).get(1).values()).containsExactly(AT, "ana");

            assertThat(journal.readAfter(1)).extracting(Journal.Batch::seq).containsExactly(2L);
        }
    }

    @Test
    void batchesForcedTogetherAreSeparateRecords() throws IOException {
        try (Journal journal = new Journal(dir.resolve("j"))) {
            journal.append(List.of(new Journal.Batch(1, List.of(CLOSE)), new Journal.Batch(3, List.of(CLOSE, CLOSE))));
            assertThat(journal.lastSeq()).isEqualTo(3);
        }
        try (Journal journal = new Journal(dir.resolve("j"))) {
            assertThat(journal.readAfter(0)).extracting(Journal.Batch::seq).containsExactly(1L, 3L);
            assertThat(journal.readAfter(1)).singleElement().satisfies(batch -> assertThat(batch.writes()).hasSize(2));
        }
    }

    @Test
    void batchesForcedTogetherAndTornAreATornTailNotDamage() throws IOException {
        Path file = journalOfCloses(1);
        long whole = Files.size(file);
        try (Journal journal = new Journal(file)) {
            journal.append(List.of(new Journal.Batch(2, List.of(CLOSE)), new Journal.Batch(3, List.of(CLOSE))));
        }
        // A power loss during the force: the record's last bytes never reached the disk.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - 5);
        }
        try (Journal journal = new Journal(file)) {
            assertThat(journal.readAfter(0)).extracting(Journal.Batch::seq).containsExactly(1L); // neither was answered
        }
        assertThat(Files.size(file)).isEqualTo(whole);
    }

    @Test
    void aTornLastRecordIsCutOffAndLaterAppendsReadBack() throws IOException {
        Path file = journalOfCloses(1);
        long whole = Files.size(file);
        Files.write(file, new byte[] {0, 0, 0, 40, 0, 0}, StandardOpenOption.APPEND); // a crash mid-append

        try (Journal journal = new Journal(file)) {
            assertThat(journal.readAfter(0)).extracting(Journal.Batch::seq).containsExactly(1L);
            assertThat(Files.size(file)).isEqualTo(whole);
            append(journal, 2, List.of(CLOSE));
            assertThat(journal.readAfter(0)).extracting(Journal.Batch::seq).containsExactly(1L, 2L);
        }
    }

    @Test
    void aRetiredJournalIsReadBeforeTheFreshOneUntilItIsDropped() throws IOException {
        try (Journal journal = new Journal(journalOfCloses(1))) {
            journal.readAfter(0);
            assertThat(journal.canRetire()).isTrue();
            journal.retire();
            append(journal, 2, List.of(CLOSE));

            assertThat(journal.canRetire()).isFalse();
            assertThat(journal.readAfter(0)).extracting(Journal.Batch::seq).containsExactly(1L, 2L);
            journal.dropRetired();
            assertThat(journal.readAfter(0)).extracting(Journal.Batch::seq).containsExactly(2L);
        }
    }

    @Test
    void aStatementOnlyANewerBuildKnowsStopsReplayNamingIt() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream payload = new java.io.DataOutputStream(bytes);
        payload.writeInt(1); // one write
        payload.writeInt(1); // of one statement
        payload.writeUTF("INSERT_FROM_THE_FUTURE");
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes.toByteArray());
        java.nio.ByteBuffer record = java.nio.ByteBuffer.allocate(16 + bytes.size());
        record.putInt(bytes.size()).putLong(1).putInt((int) crc.getValue()).put(bytes.toByteArray());
        Path file = dir.resolve("j");
        Files.write(file, record.array());

        try (Journal journal = new Journal(file)) {
            assertThatThrownBy(() -> journal.readAfter(0))
                    .hasMessageContaining("the journal holds a statement this build does not know (INSERT_FROM_THE_FUTURE)");
        }
    }

    @Test
    void aCorruptRecordEndsTheJournal() throws IOException {
        Path file = journalOfCloses(2);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x5a; // flip bits in the second record's payload
        Files.write(file, bytes);

        try (Journal journal = new Journal(file)) {
            assertThat(journal.readAfter(0)).extracting(Journal.Batch::seq).containsExactly(1L);
        }
    }

    @Test
    void damageBeforeTheLastRecordIsReportedNotSkipped() throws IOException {
        Path file = journalOfCloses(2);
        byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 0x5a; // inside the first record's payload
        Files.write(file, bytes);

        assertReportedDamaged(file);
    }

    @Test
    void aDamagedLengthBeforeTheLastRecordIsReportedNotTakenForATornTail() throws IOException {
        Path file = journalOfCloses(3);
        byte[] bytes = Files.readAllBytes(file);
        java.nio.ByteBuffer.wrap(bytes).putInt(0, bytes.length - 16); // the first record's length now reaches the end
        Files.write(file, bytes);

        try (Journal journal = new Journal(file)) {
            assertThatThrownBy(() -> journal.readAfter(0)).isInstanceOf(IOException.class).hasMessageContaining("damaged");
            assertThat(Files.size(file)).isEqualTo(bytes.length); // nothing cut off
        }
        java.nio.ByteBuffer.wrap(bytes).putInt(0, -7); // a length that cannot be
        Files.write(file, bytes);
        assertReportedDamaged(file);
    }

    @Test
    void aLastRecordCutOffMidPayloadIsATornTail() throws IOException {
        Path file = journalOfCloses(3);
        long size = Files.size(file);
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size - 5); // a crash while the third record was being written
        }
        try (Journal journal = new Journal(file)) {
            assertThat(journal.readAfter(0)).extracting(Journal.Batch::seq).containsExactly(1L, 2L);
            assertThat(Files.size(file)).isEqualTo(size / 3 * 2);
        }
    }

    @Test
    void aLastRecordWhoseLaterBlocksReadAsZerosIsATornTail() throws IOException {
        Path file = journalOfCloses(2);
        long whole = Files.size(file);
        byte[] bytes = Files.readAllBytes(file);
        byte[] torn = java.util.Arrays.copyOf(bytes, bytes.length + 16 + 4096);
        System.arraycopy(bytes, 0, torn, bytes.length, 16 + 8); // a third record's header and first bytes, then zeros
        java.nio.ByteBuffer.wrap(torn).putInt((int) whole, 4096).putLong((int) whole + 4, 3);
        Files.write(file, torn);

        try (Journal journal = new Journal(file)) {
            assertThat(journal.readAfter(0)).extracting(Journal.Batch::seq).containsExactly(1L, 2L);
            assertThat(Files.size(file)).isEqualTo(whole);
        }
    }

    @Test
    void aRetiredJournalThatDoesNotEndOnAWholeRecordIsReportedDamaged() throws IOException {
        try (Journal journal = new Journal(journalOfCloses(3))) {
            journal.retire();
            append(journal, 4, List.of(CLOSE));
        }
        Path retired = dir.resolve("j.old");
        byte[] bytes = Files.readAllBytes(retired);
        bytes[bytes.length - 3] ^= 0x5a; // inside the last record: a retired journal was forced whole, so this is damage
        Files.write(retired, bytes);

        assertReportedDamaged(dir.resolve("j"));
    }

    @Test
    void damageThatHidesOnlyBatchesTheDatabaseHoldsIsCutOff() throws IOException {
        Path file = journalOfCloses(3);
        byte[] bytes = Files.readAllBytes(file);
        java.nio.ByteBuffer.wrap(bytes).putInt(0, bytes.length - 16);
        Files.write(file, bytes);

        try (Journal journal = new Journal(file)) {
            assertThat(journal.readAfter(3)).isEmpty(); // all three are held: nothing answered is lost
        }
    }

    @Test
    void openingTheEmbeddedDatabaseReplaysJournalBatchesItDoesNotHold() throws Exception {
        try (Database database = Database.embedded(dir)) {
            database.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO conversations (id, channel_id, channel_kind, inbox_id, status, created_at) "
                            + "VALUES ('c1', 'chat', 'CHAT', 'open', 'OPEN', ?)", AT));
        }
        // What a crash leaves: the journal holds a batch (seq 1) whose pages never reached the database file.
        try (Journal journal = new Journal(dir.resolve("router.journal"))) {
            append(journal, 1, List.of(List.of(new SqlWrite(Sql.UPDATE_STATUS, "CLOSED", "c1"),
                    new SqlWrite(Sql.INSERT_MESSAGE, "m1", "c1", 0, null, "Bye", null, AT))));
        }

        try (Database database = Database.embedded(dir)) {
            assertThat(one(database, "SELECT status FROM conversations WHERE id = 'c1'")).isEqualTo("CLOSED");
            assertThat(one(database, "SELECT text FROM messages WHERE id = 'm1'")).isEqualTo("Bye");
            assertThat(one(database, "SELECT seq FROM journal_position")).isEqualTo("1");
            assertThat(Files.size(dir.resolve("router.journal"))).isZero();
        }
        // A second start replays nothing again (the message would collide with itself).
        try (Database database = Database.embedded(dir)) {
            assertThat(one(database, "SELECT COUNT(*) FROM messages")).isEqualTo("1");
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "/dev/full, which refuses every write, is Linux's")
    void aFailedAppendThatCannotBeUndoneRefusesEveryLaterAppend() {
        // Linux's /dev/full refuses every write (no space left) and cannot be truncated, so the undo fails too.
        try (Journal journal = new Journal(Path.of("/dev/full"))) {
            assertThatThrownBy(() -> append(journal, 1, List.of(CLOSE)))
                    .isInstanceOf(Journal.NotUndone.class).hasMessageContaining("takes nothing more until the service restarts");
            assertThat(journal.isBroken()).isTrue();
            assertThat(journal.lastSeq()).isZero();
            // Appending after a record that may be torn would hide whatever follows it from the replay.
            assertThatThrownBy(() -> append(journal, 2, List.of(CLOSE)))
                    .isInstanceOf(IOException.class).hasMessageContaining("could not be repaired");
        }
    }

    /** Opening the journal and reading it refuses, naming the damage, rather than drop what follows it. */
    private static void assertReportedDamaged(Path file) {
        try (Journal journal = new Journal(file)) {
            assertThatThrownBy(() -> journal.readAfter(0)).isInstanceOf(IOException.class).hasMessageContaining("damaged");
        }
    }

    /** Appends one batch, forced on its own. */
    private static void append(Journal journal, long seq, List<List<SqlWrite>> writes) throws IOException {
        journal.append(List.of(new Journal.Batch(seq, writes)));
    }

    private static final List<SqlWrite> CLOSE = List.of(new SqlWrite(Sql.UPDATE_STATUS, "CLOSED", "c1"));

    /** A journal of {@code batches} batches (seq 1, 2, ...), each closing a conversation. */
    private Path journalOfCloses(int batches) throws IOException {
        Path file = dir.resolve("j");
        try (Journal journal = new Journal(file)) {
            for (int seq = 1; seq <= batches; seq++) {
                append(journal, seq, List.of(CLOSE));
            }
        }
        return file;
    }

    private static String one(Database database, String sql) {
        return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }
}

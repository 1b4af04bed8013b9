package org.convrouter.store;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The embedded database's write-ahead journal. Each group commit appends its statements here as
 * one record, and the records of the batches committed meanwhile are forced to the disk together
 * before anyone is answered, so the database itself may write its pages lazily (H2's WRITE_DELAY)
 * instead of rewriting every touched B-tree page on every commit: that rewrite was a third of the
 * service's CPU under load. The database records the last batch it holds ({@code journal_position})
 * in each batch's own transaction; after a crash, the batches after it are replayed. A long journal
 * is retired (renamed {@code .old}) and a fresh one started at once, so the writer never waits; the
 * retired one is deleted once a checkpoint has written the database down.
 *
 * <p>A record is {@code [int length][long seq][int crc32][payload]}, one per append (the batches
 * forced together, {@code seq} the last one's); a torn or corrupt last record
 * (a crash mid-append, never answered to anyone) ends the journal, while damage before the end
 * stops start-up rather than drop the batches after it. One thread appends, in the order the
 * batches committed, so records are in sequence order.
 */
final class Journal implements AutoCloseable {

    /** A batch read back: its sequence number and its writes, in order. */
    record Batch(long seq, List<List<SqlWrite>> writes) {}

    /**
     * An append that failed and could not be taken out again: the journal may end in a torn record
     * or hold one nobody was answered for (its batch has committed, so a replay of it changes
     * nothing the database does not hold), and it takes nothing more until a restart.
     */
    static final class NotUndone extends IOException {
        NotUndone(Path file, IOException cause) {
            super("a failed append could not be taken out of the journal " + file
                    + ": it takes nothing more until the service restarts", cause);
        }
    }

    /**
     * How far above the last good record's sequence number a record found after damage may be:
     * the ones right after it carry the next numbers (with a gap for each rewound batch), and
     * random bytes almost never land this near.
     */
    private static final long NEAR_SEQ = 1L << 23;

    /** Where a record's payload would start with its count of writes, this marks several batches in one record. */
    private static final int GROUP = -1;

    private final Path file;
    private final Path retired;
    private FileChannel channel;
    /** Set when a failed append could not be undone: appending after a torn record would hide what follows. */
    private volatile boolean broken;
    /** The sequence number of the last batch appended (or held by the database after recovery). */
    private long lastSeq;

    Journal(Path file) {
        this.file = file;
        this.retired = file.resolveSibling(file.getFileName() + ".old");
        try {
            this.channel = open(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + file, e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            channel.position(channel.size());
            if (created) {
                syncDirectory(file); // forcing the file's records later does not make its name durable
            }
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Makes a file's creation or renaming durable: its directory entry lives in the folder, not the file. */
    private static void syncDirectory(Path file) throws IOException {
        try (FileChannel folder = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        }
    }

    /**
     * Appends batches as one record and forces it to the disk: one record, so that a power loss
     * during the force leaves a torn last record (nothing of it was answered), never a whole
     * record after torn bytes, which would read as damage. A failed append leaves the journal as
     * it was (or, when that fails too, broken: {@link NotUndone}).
     */
    void append(List<Batch> batches) throws IOException {
        checkWritable();
        if (batches.isEmpty()) {
            return;
        }
        byte[] payload = encode(batches);
        CRC32 crc = new CRC32();
        crc.update(payload);
        long lastBatch = batches.get(batches.size() - 1).seq();
        ByteBuffer record = ByteBuffer.allocate(16 + payload.length);
        record.putInt(payload.length).putLong(lastBatch).putInt((int) crc.getValue()).put(payload).flip();
        long start = channel.position();
        try {
            while (record.hasRemaining()) {
                channel.write(record);
            }
            channel.force(false);
            lastSeq = lastBatch;
        } catch (IOException e) {
            try {
                rewind(start);
            } catch (NotUndone undo) {
                undo.addSuppressed(e);
                throw undo;
            }
            throw e;
        }
    }

    /** Fails once a failed append could not be undone: appending after a torn record would hide what follows. */
    void checkWritable() throws IOException {
        if (broken) {
            throw new IOException("the journal " + file + " could not be repaired after a failed write");
        }
    }

    /** Drops every record from {@code position} on: the records of an append that failed, never answered. */
    private void rewind(long position) throws NotUndone {
        try {
            channel.truncate(position);
            channel.position(position);
            channel.force(true); // the shorter size too: a record told failed must not come back after a power loss
        } catch (IOException e) {
            broken = true;
            throw new NotUndone(file, e);
        }
    }

    long lastSeq() {
        return lastSeq;
    }

    /** True once a failed append could not be undone: nothing more can be journaled until a restart replays it. */
    boolean isBroken() {
        return broken;
    }

    /** Whether there is anything to replay: a non-empty journal or a retired one. */
    boolean isEmpty() throws IOException {
        return channel.size() == 0 && !Files.exists(retired);
    }

    long size() throws IOException {
        return channel.size();
    }

    /** Every whole batch in the journal (a retired one first) with a sequence number above {@code after}; cuts off a torn tail. */
    List<Batch> readAfter(long after) throws IOException {
        List<Batch> batches = new ArrayList<>();
        if (Files.exists(retired)) {
            long end = read(retired, after, batches);
            if (end < Files.size(retired)) { // forced before it was retired, between batches: it cannot end torn
                throw new IOException("the retired journal " + retired + " is damaged at byte " + end
                        + "; the batches after it, and those in " + file + ", cannot be trusted");
            }
        }
        long end = read(file, after, batches);
        if (end < channel.size()) {
            // Batches at or below this are held by the database or read already: damage hiding only them drops nothing.
            long floor = batches.isEmpty() ? after : batches.get(batches.size() - 1).seq();
            long next = wholeRecordAfter(file, end, floor);
            if (next >= 0) { // a damaged length or header, not a torn tail: what follows was answered
                throw new IOException("the journal " + file + " is damaged at byte " + end + " (a whole batch follows at byte "
                        + next + "); batches after it cannot be trusted");
            }
            channel.truncate(end); // the torn tail of an append that never completed
            channel.position(end);
        }
        return batches;
    }

    /** Adds the whole batches of one file above {@code after}; answers where the last whole record ends. */
    private static long read(Path path, long after, List<Batch> batches) throws IOException {
        long end = 0;
        long size = Files.size(path);
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(path)))) {
            while (true) {
                int length;
                long seq;
                int expected;
                byte[] payload;
                try {
                    length = in.readInt();
                    seq = in.readLong();
                    expected = in.readInt();
                    if (length < 0 || length > size) {
                        break;
                    }
                    payload = in.readNBytes(length);
                } catch (EOFException e) {
                    break;
                }
                CRC32 crc = new CRC32();
                crc.update(payload);
                if (payload.length != length || (int) crc.getValue() != expected) {
                    if (end + 16 + length < size) { // not a torn last append: something damaged the file
                        throw new IOException("the journal " + path + " is damaged at byte " + end
                                + "; batches after it cannot be trusted");
                    }
                    break;
                }
                end += 16 + length;
                for (Batch batch : decode(seq, payload)) {
                    if (batch.seq() > after) {
                        batches.add(batch);
                    }
                }
            }
        }
        return end;
    }

    /**
     * Where the first whole record after the bad bytes at {@code from} starts, or -1: a torn last
     * append is followed by nothing, so any whole record after it means the file was damaged. A
     * damaged length field hides where the next record starts, so every offset is tried; only one
     * with a payload (every payload starts with its count of writes or the group mark, so
     * zero-filled blocks do not qualify) and a sequence number just above {@code floor} is checked
     * against its checksum.
     * Runs only at start-up, and only when the journal does not end on a whole record.
     */
    private static long wholeRecordAfter(Path path, long from, long floor) throws IOException {
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer rest = in.map(FileChannel.MapMode.READ_ONLY, from, in.size() - from);
            for (int at = 1; at + 16 <= rest.limit(); at++) {
                int length = rest.getInt(at);
                long seq = rest.getLong(at + 4);
                if (length < 4 || length > rest.limit() - at - 16 || seq <= floor || seq - floor > NEAR_SEQ) {
                    continue;
                }
                CRC32 crc = new CRC32();
                crc.update(rest.slice(at + 16, length));
                if ((int) crc.getValue() == rest.getInt(at + 12)) {
                    return from + at;
                }
            }
            return -1;
        }
    }

    /** Whether {@link #retire} may start a fresh journal: the previous retired one is gone. */
    boolean canRetire() {
        return !Files.exists(retired);
    }

    /**
     * Renames the journal to its retired name and starts a fresh one. The retired one must stay
     * until the database holds everything in it durably (a checkpoint), then {@link #dropRetired}.
     */
    void retire() throws IOException {
        channel.force(true);
        Files.move(file, retired, java.nio.file.StandardCopyOption.ATOMIC_MOVE); // the open channel follows the file
        FileChannel fresh;
        try {
            fresh = open(file);
        } catch (IOException e) {
            Files.move(retired, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE); // keep appending where we were
            throw e;
        }
        FileChannel old = channel;
        channel = fresh;
        old.close(); // open() made the rename and the fresh file durable together
    }

    void dropRetired() throws IOException {
        Files.deleteIfExists(retired);
    }

    /** Empties the journal: only once the database holds everything in it durably, up to {@code heldSeq}. */
    void clear(long heldSeq) throws IOException {
        lastSeq = heldSeq;
        dropRetired();
        channel.truncate(0);
        channel.position(0);
        channel.force(true);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A record's payload. One batch is its writes, as records have always been; several start with
     * {@link #GROUP} (where one batch's count of writes would be) and their count, then each
     * batch's sequence number and writes.
     */
    private static byte[] encode(List<Batch> batches) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        DataOutputStream out = new DataOutputStream(bytes);
        if (batches.size() == 1) {
            writeBatch(batches.get(0).writes(), out);
        } else {
            out.writeInt(GROUP);
            out.writeInt(batches.size());
            for (Batch batch : batches) {
                out.writeLong(batch.seq());
                writeBatch(batch.writes(), out);
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeBatch(List<List<SqlWrite>> writes, DataOutputStream out) throws IOException {
        out.writeInt(writes.size());
        for (List<SqlWrite> write : writes) {
            out.writeInt(write.size());
            for (SqlWrite statement : write) {
                out.writeUTF(statement.sql().name()); // by name: a later version may reorder the statements
                String types = statement.sql().types;
                for (int i = 0; i < types.length(); i++) {
                    Object value = statement.values()[i];
                    out.writeBoolean(value != null);
                    if (value != null) {
                        switch (types.charAt(i)) {
                            case 's' -> {
                                byte[] text = ((String) value).getBytes(StandardCharsets.UTF_8);
                                out.writeInt(text.length);
                                out.write(text);
                            }
                            case 'i' -> out.writeInt((Integer) value);
                            case 'l' -> out.writeLong((Long) value);
                            case 't' -> {
                                Timestamp ts = (Timestamp) value;
                                out.writeLong(ts.toInstant().getEpochSecond());
                                out.writeInt(ts.toInstant().getNano());
                            }
                            default -> throw new IllegalStateException("unknown parameter type " + types.charAt(i));
                        }
                    }
                }
            }
        }
    }

    private static Sql statement(String name) {
        try {
            return Sql.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the journal holds a statement this build does not know (" + name
                    + "): a newer build wrote it; start that build again to replay it", e);
        }
    }

    /** The batches of one record whose header carries {@code seq} (a group's last). */
    private static List<Batch> decode(long seq, byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        int count = in.readInt();
        if (count != GROUP) {
            return List.of(new Batch(seq, readBatch(count, in)));
        }
        int batches = in.readInt();
        List<Batch> group = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            long batchSeq = in.readLong();
            group.add(new Batch(batchSeq, readBatch(in.readInt(), in)));
        }
        return group;
    }

    private static List<List<SqlWrite>> readBatch(int count, DataInputStream in) throws IOException {
        List<List<SqlWrite>> writes = new ArrayList<>(count);
        for (int w = 0; w < count; w++) {
            int statements = in.readInt();
            List<SqlWrite> write = new ArrayList<>(statements);
            for (int s = 0; s < statements; s++) {
                Sql sql = statement(in.readUTF());
                Object[] values = new Object[sql.types.length()];
                for (int i = 0; i < values.length; i++) {
                    if (in.readBoolean()) {
                        values[i] = switch (sql.types.charAt(i)) {
                            case 's' -> new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
                            case 'i' -> in.readInt();
                            case 'l' -> in.readLong();
                            case 't' -> Timestamp.from(java.time.Instant.ofEpochSecond(in.readLong(), in.readInt()));
                            default -> throw new IllegalStateException("unknown parameter type " + sql.types.charAt(i));
                        };
                    }
                }
                write.add(new SqlWrite(sql, values));
            }
            writes.add(write);
        }
        return writes;
    }
}

package io.thermocline.server.kv;

import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.common.internal.kv.KeyEncoder;
import io.thermocline.common.internal.kv.ValueEncoder;
import io.thermocline.common.internal.record.ChangeType;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.server.utils.FileTrees;

import org.rocksdb.Checkpoint;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The current state of one bucket of a primary-key table, in RocksDB, for its leader. A write
 * batch is first turned into changelog rows ({@link #prepare}): each key's current row is read
 * from the pre-write buffer, else RocksDB; the merge engine combines; +I, -U/+U, -D or nothing
 * is emitted. Once the changelog is appended to the log, its state changes enter the pre-write
 * buffer tagged with their offsets ({@link #commit}); once the high watermark covers them they go
 * to RocksDB ({@link #flush}) with the offset applied. Lookups read RocksDB only, so they never see
 * state the log does not hold committed. Not thread-safe: its replica serializes the calls.
 */
public final class KvTablet implements AutoCloseable {
    /** RocksDB key of the applied offset; no encoded primary key is empty. */
    private static final Logger LOG = LoggerFactory.getLogger(KvTablet.class);
    private static final byte[] APPLIED_OFFSET_KEY = new byte[0];

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final TableBucket bucket;
    private final KvSchemas schemas;
    private final KeyEncoder keyEncoder;
    private final Options options;
    private final RocksDB db;
    /** No WAL (the log is the WAL); no slowdown: a stall fails the write instead of blocking the replica. */
    private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true).setNoSlowdown(true);
    /** The last apply was refused for a write stall; cleared by the next that succeeds. */
    private boolean stalled;
    /** Changes appended to the log but not yet covered by the high watermark, by offset. */
    private final TreeMap<Long, List<Staged>> pending = new TreeMap<>();
    /** The newest pending change of each key. */
    private final Map<Key, Staged> pendingByKey = new HashMap<>();
    private long appliedOffset;

    /** One write of a batch: an upsert or a delete, of all columns or of the target columns. */
    public record Write(boolean delete, InternalRow row, int[] targetColumns) {}

    /** A changelog row to append: its change and the full row. */
    public record ChangeRow(ChangeType changeType, GenericRow row) {}

    /** The changelog of a write batch, and the state it leads to, not applied yet. */
    public static final class Prepared {
        private final List<ChangeRow> changelog = new ArrayList<>();
        /** Per key, its last state and the index of the changelog row that set it. */
        private final Map<Key, Staged> states = new HashMap<>();

        public List<ChangeRow> changelog() {
            return changelog;
        }
    }

    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(bytes, ((Key) o).bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** A key's new value (null: deleted) at a position: a changelog index, then a log offset. */
    private record Staged(Key key, byte[] value, long position) {}

    private KvTablet(Path dir, TableBucket bucket, KvSchemas schemas, Options options, RocksDB db) {
        this.dir = dir;
        this.bucket = bucket;
        this.schemas = schemas;
        // Key columns never change, so one encoder serves every schema.
        Schema schema = schemas.current();
        this.keyEncoder = new KeyEncoder(schema.rowType(), schema.primaryKeyIndexes());
        this.options = options;
        this.db = db;
        this.appliedOffset = readAppliedOffset();
    }

    /** Opens (or creates) the tablet of a table that keeps one schema in {@code dir}. */
    public static KvTablet open(Path dir, TableBucket bucket, Schema schema, RowMerger merger) {
        return open(dir, bucket, KvSchemas.fixed(schema, merger), new Options());
    }

    /** With RocksDB options of the caller's (tests: small memtables); the tablet closes them. */
    static KvTablet open(Path dir, TableBucket bucket, KvSchemas schemas, Options options) {
        options.setCreateIfMissing(true);
        try {
            Files.createDirectories(dir);
            return new KvTablet(dir, bucket, schemas, options, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException | java.io.IOException e) {
            options.close();
            throw new ThermoclineStorageException("Cannot open the KV tablet of " + bucket + " in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The tablet a new leader starts from, never ahead of its log: the local one when it is no
     * older than the newest usable snapshot and no truncation of the log went below what it
     * applied ({@link #markTruncated}); else the newest snapshot at or below {@code logEnd} (older
     * ones when it cannot be read); else an empty one, to be replayed from the log's start.
     * Snapshots beyond {@code logEnd} belong to a history an unclean election gave up: deleted.
     */
    public static KvTablet openOrRestore(Path dir, TableBucket bucket, KvSchemas schemas, KvSnapshots snapshots,
            long logEnd) {
        long validBelow = Math.min(logEnd, truncatedTo(dir));
        if (snapshots != null) {
            snapshots.discardAbove(logEnd);
        }
        KvTablet local = open(dir, bucket, schemas, new Options());
        if (local.appliedOffset() > validBelow) {
            LOG.warn("{}: the local KV tablet applied up to offset {}, beyond its log ({}): rebuilding it", bucket,
                    local.appliedOffset(), validBelow);
            local.close();
            local = null;
        } else {
            long applied = local.appliedOffset();
            boolean newer = snapshots != null && snapshots.list().stream()
                    .anyMatch(snapshot -> snapshot.offset() > applied && snapshot.offset() <= logEnd);
            if (!newer) {
                clearTruncated(dir);
                return local;
            }
            local.close();
        }
        try {
            FileTrees.delete(dir);
        } catch (java.io.IOException e) {
            throw new ThermoclineStorageException("Cannot replace the KV tablet in " + dir + ": " + e.getMessage(), e);
        }
        if (snapshots != null) {
            snapshots.restoreNewest(logEnd, dir);
        }
        KvTablet tablet = open(dir, bucket, schemas, new Options());
        clearTruncated(dir);
        return tablet;
    }

    /**
     * The log of this tablet's replica was truncated to {@code offset}: whatever the tablet applied
     * from there on may be of another history, so it must not be trusted beyond it when it opens.
     */
    public static void markTruncated(Path dir, long offset) {
        if (!Files.isDirectory(dir)) {
            return; // nothing applied yet
        }
        long earliest = Math.min(offset, truncatedTo(dir));
        try {
            Path marker = truncationMarker(dir);
            Path temp = marker.resolveSibling(marker.getFileName() + ".tmp");
            Files.writeString(temp, Long.toString(earliest), StandardCharsets.UTF_8);
            Files.move(temp, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new ThermoclineStorageException("Cannot record the truncation of the log under " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static long truncatedTo(Path dir) {
        Path marker = truncationMarker(dir);
        try {
            return Files.exists(marker) ? Long.parseLong(Files.readString(marker, StandardCharsets.UTF_8).trim())
                    : Long.MAX_VALUE;
        } catch (java.io.IOException | NumberFormatException e) {
            return 0; // unreadable: trust nothing the tablet applied
        }
    }

    private static void clearTruncated(Path dir) {
        try {
            Files.deleteIfExists(truncationMarker(dir));
        } catch (java.io.IOException e) {
            LOG.warn("Cannot delete {}; the next open rebuilds the tablet once more", truncationMarker(dir), e);
        }
    }

    /** Beside the tablet's directory, so that deleting the directory keeps it. */
    private static Path truncationMarker(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".truncated-to");
    }

    // ------------------------------------------------------------------ writes

    /**
     * The changelog of a batch of writes against the current state, in order; changes nothing.
     * The rows are of the {@linkplain KvSchemas#current() current schema}. Throws
     * {@link InvalidRecordException} naming the table and column for a null key column.
     */
    public Prepared prepare(List<Write> writes) {
        Prepared prepared = new Prepared();
        RowMerger merger = schemas.merger();
        ValueEncoder valueEncoder = schemas.encoder();
        for (Write write : writes) {
            Key key = new Key(encodeKey(write.row()));
            GenericRow current = current(key, prepared);
            GenericRow next = write.delete() ? merger.delete(current, write.targetColumns())
                    : merger.merge(current, GenericRow.copyOf(write.row(), schemas.current().rowType()),
                            write.targetColumns());
            if (next == current) {
                continue; // no change, no changelog
            }
            if (current == null) {
                prepared.changelog.add(new ChangeRow(ChangeType.INSERT, next));
            } else if (next == null) {
                prepared.changelog.add(new ChangeRow(ChangeType.DELETE, current));
            } else {
                byte[] before = valueEncoder.encode(current);
                byte[] after = valueEncoder.encode(next);
                if (Arrays.equals(before, after)) {
                    continue;
                }
                prepared.changelog.add(new ChangeRow(ChangeType.UPDATE_BEFORE, current));
                prepared.changelog.add(new ChangeRow(ChangeType.UPDATE_AFTER, next));
            }
            prepared.states.put(key, new Staged(key, next == null ? null : valueEncoder.encode(next),
                    prepared.changelog.size() - 1));
        }
        return prepared;
    }

    /** The changelog of {@code prepared} was appended from {@code baseOffset}: its state becomes pending. */
    public void commit(Prepared prepared, long baseOffset) {
        for (Staged state : prepared.states.values()) {
            Staged staged = new Staged(state.key(), state.value(), baseOffset + state.position());
            pending.computeIfAbsent(staged.position(), o -> new ArrayList<>()).add(staged);
            pendingByKey.put(staged.key(), staged);
        }
    }

    /**
     * Moves every pending change below {@code highWatermark} into RocksDB, with the applied
     * offset. Returns false, keeping them pending, when RocksDB would stall the write (it is
     * compacting): the caller tries again later instead of blocking.
     */
    public boolean flush(long highWatermark) {
        if (pending.isEmpty() || pending.firstKey() >= highWatermark) {
            // Nothing to apply below the high watermark: RocksDB already holds the state up to it.
            // (Persisted with the next write; a restart replays a little more, which is harmless.)
            appliedOffset = Math.max(appliedOffset, highWatermark);
            stalled = false;
            return true;
        }
        NavigableMap<Long, List<Staged>> due = pending.headMap(highWatermark, false);
        try (WriteBatch batch = new WriteBatch()) {
            long last = appliedOffset;
            for (Map.Entry<Long, List<Staged>> entry : due.entrySet()) {
                for (Staged staged : entry.getValue()) {
                    if (staged.value() == null) {
                        batch.delete(staged.key().bytes());
                    } else {
                        batch.put(staged.key().bytes(), staged.value());
                    }
                }
                last = Math.max(last, entry.getKey() + 1);
            }
            batch.put(APPLIED_OFFSET_KEY, ByteBuffer.allocate(8).putLong(last).array());
            db.write(writeOptions, batch);
            for (List<Staged> changes : due.values()) {
                for (Staged staged : changes) {
                    if (pendingByKey.get(staged.key()) == staged) {
                        pendingByKey.remove(staged.key());
                    }
                }
            }
            due.clear();
            appliedOffset = last;
            stalled = false;
            return true;
        } catch (RocksDBException e) {
            if (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Incomplete) {
                stalled = true;
                return false;
            }
            throw new ThermoclineStorageException("Cannot apply changes to the KV tablet of " + bucket + ": "
                    + e.getMessage(), e);
        }
    }

    /** Forgets pending changes at or after {@code offset}: the log was truncated there. */
    public void discardPendingFrom(long offset) {
        pending.tailMap(offset, true).clear();
        pendingByKey.clear();
        for (List<Staged> changes : pending.values()) {
            for (Staged staged : changes) {
                pendingByKey.put(staged.key(), staged);
            }
        }
    }

    /**
     * Restores state from changelog rows read back from the log (a new leader catching up from
     * its applied offset), rows of the current schema: their changes become pending at their
     * offsets, as if just committed.
     */
    public void replay(ChangeType changeType, InternalRow row, long offset) {
        if (changeType == ChangeType.UPDATE_BEFORE) {
            return;
        }
        Key key = new Key(encodeKey(row));
        byte[] value = changeType == ChangeType.DELETE ? null : schemas.encoder().encode(row);
        Staged staged = new Staged(key, value, offset);
        pending.computeIfAbsent(offset, o -> new ArrayList<>()).add(staged);
        pendingByKey.put(key, staged);
    }

    // ------------------------------------------------------------------ reads

    /** The committed row of a key as a row of the current schema (RocksDB only: what the high watermark covers). */
    public Optional<GenericRow> get(byte[] key) {
        byte[] value = getValue(key);
        return value == null ? Optional.empty() : Optional.of(schemas.decode(value));
    }

    /** The committed value bytes of a key (see ValueEncoder), or null. */
    public byte[] getValue(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new ThermoclineStorageException("Cannot read the KV tablet of " + bucket + ": " + e.getMessage(), e);
        }
    }

    /** A page of a prefix scan; {@code resumeKey} is null when no row is left. */
    public record PrefixPage(List<byte[]> values, byte[] resumeKey) {}

    /**
     * The committed value bytes of the keys that start with {@code prefix}, in key order: at most
     * {@code maxRows}, after {@code resumeAfter} (null: from the first).
     */
    public PrefixPage prefixValues(byte[] prefix, byte[] resumeAfter, int maxRows) {
        List<byte[]> values = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            it.seek(resumeAfter == null ? prefix : resumeAfter);
            if (resumeAfter != null && it.isValid() && Arrays.equals(it.key(), resumeAfter)) {
                it.next();
            }
            byte[] last = null;
            for (; it.isValid() && startsWith(it.key(), prefix); it.next()) {
                if (it.key().length == 0) {
                    continue; // the applied offset's own key
                }
                if (values.size() == maxRows) {
                    return new PrefixPage(values, last);
                }
                last = it.key();
                values.add(it.value());
            }
        }
        return new PrefixPage(values, null);
    }

    /** The key bytes of a row's primary key. */
    public byte[] encodeKey(InternalRow row) {
        try {
            return keyEncoder.encode(row);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("Table id " + bucket.tableId() + ": a primary key column is null ("
                    + schemas.current().primaryKey() + ")");
        }
    }

    /**
     * Whether RocksDB stops or slows writes (too many memtables or level-0 files while compaction
     * catches up): new writes are then refused with a retriable error instead of blocking.
     */
    public boolean isWriteStalled() {
        if (stalled) {
            return true;
        }
        try {
            return db.getLongProperty("rocksdb.is-write-stopped") != 0
                    || db.getLongProperty("rocksdb.actual-delayed-write-rate") != 0;
        } catch (RocksDBException e) {
            return false;
        }
    }

    /** Stops RocksDB's flushes and compactions (tests: a tablet that stalls). */
    void pauseBackgroundWork() throws RocksDBException {
        db.pauseBackgroundWork();
    }

    void continueBackgroundWork() throws RocksDBException {
        db.continueBackgroundWork();
    }

    /**
     * Writes a consistent checkpoint of the tablet into {@code dir} (which must not exist; hard
     * links where possible) and returns the log offset it holds everything before.
     */
    public long checkpoint(Path dir) {
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            long offset = readAppliedOffset();
            checkpoint.createCheckpoint(dir.toString());
            // Not part of a checkpoint; snapshots name shared SST files by it.
            Files.copy(this.dir.resolve("IDENTITY"), dir.resolve("IDENTITY"));
            return offset;
        } catch (RocksDBException | java.io.IOException e) {
            throw new ThermoclineStorageException("Cannot checkpoint the KV tablet of " + bucket + " into " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Every log offset below this is in RocksDB. */
    public long appliedOffset() {
        return appliedOffset;
    }

    private GenericRow current(Key key, Prepared prepared) {
        Staged staged = prepared.states.get(key);
        if (staged == null) {
            staged = pendingByKey.get(key);
        }
        if (staged != null) {
            return staged.value() == null ? null : schemas.decode(staged.value());
        }
        return get(key.bytes()).orElse(null);
    }

    private long readAppliedOffset() {
        try {
            byte[] value = db.get(APPLIED_OFFSET_KEY);
            return value == null ? 0 : ByteBuffer.wrap(value).getLong();
        } catch (RocksDBException e) {
            throw new ThermoclineStorageException("Cannot read the KV tablet of " + bucket + ": " + e.getMessage(), e);
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public void close() {
        writeOptions.close();
        db.close();
        options.close();
    }
}

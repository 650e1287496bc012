package io.thermocline.server.log;

import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.OffsetOutOfRangeException;
import io.thermocline.common.exception.OutOfOrderSequenceException;
import io.thermocline.common.exception.RecordBatchTooLargeException;
import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchFormat;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.common.metadata.TableBucket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * The durable, append-only log of one bucket: a directory of segments, each with a sparse offset
 * index and a time index. Offsets are dense, assigned here, starting at 0.
 *
 * <p><b>Threads.</b> Appends, rolls, truncation, retention and flushes are serialized by one
 * lock; reads take no lock and see a consistent prefix of the log.
 *
 * <p><b>Durability.</b> By default the log does not fsync on append: replication makes data
 * durable, and the OS writes the page cache back. A segment is forced to disk when it rolls
 * (on the flush executor), on {@link #flush()} and on {@link #close()}; {@code
 * log.flush.interval-records} and {@code log.flush.interval} force more often. The offset up to
 * which everything is forced is the recovery point: after a crash, {@link #open} validates every
 * batch from the segment holding it, truncates at the first damaged byte, and rebuilds indexes
 * that are missing or damaged anywhere.
 *
 * <p><b>Errors.</b> A rejected append ({@link io.thermocline.common.exception.CorruptRecordException},
 * {@link InvalidRecordException}, {@link RecordBatchTooLargeException}) names bucket, offset and
 * reason and leaves the log exactly as it was: all batches of a request are validated before any
 * is written. I/O failures throw {@link ThermoclineStorageException}; the replica should then go
 * offline.
 */
public final class BucketLog implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(BucketLog.class);

    private final Path dir;
    private final TableBucket bucket;
    private final LogConfig config;
    /** Guarded by lock; changed before the batches it describes are written. */
    private LeaderEpochCache epochs;
    /** Guarded by lock. */
    private final WriterStates writerStates;
    /** Guarded by lock: where a truncation rebuilds writer states from. */
    private final WriterStatesAtRolls writerStatesAtRolls = new WriterStatesAtRolls();
    /** Where the last rebuild of writer states started reading headers (tests). */
    long lastWriterScanFrom = -1;
    private final Clock clock;
    private final IntPredicate acceptedSchemaIds;
    private final RetentionGuard retentionGuard;
    private final Executor flushExecutor;
    private final RecoveryCheckpoint checkpoint;
    private final Object lock = new Object();
    /** Serializes checkpoint file writes; taken after {@link #lock}, never before it. */
    private final Object checkpointLock = new Object();
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long recoveryPoint;
    /** Orders recovery point changes (guarded by lock) so that a stale checkpoint write is dropped. */
    private long recoveryPointVersion;
    private long checkpointedVersion;
    private long lastCommitTimestamp = -1;
    private long unflushedRecords;
    private long lastFlushMs;
    private volatile boolean closed;

    private BucketLog(Builder b) {
        this.dir = b.dir;
        this.bucket = b.bucket;
        this.config = b.config;
        this.clock = b.clock;
        this.writerStates = new WriterStates(b.config.maxWriters());
        this.acceptedSchemaIds = b.acceptedSchemaIds;
        this.retentionGuard = b.retentionGuard;
        this.flushExecutor = b.flushExecutor;
        this.checkpoint = new RecoveryCheckpoint(dir);
    }

    public static Builder builder(Path dir, TableBucket bucket) {
        return new Builder(dir, bucket);
    }

    // ------------------------------------------------------------------ loading and recovery

    private void load() {
        List<Long> baseOffsets = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            TreeSet<Long> logs = new TreeSet<>();
            List<Path> indexFiles = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    LogFiles.baseOffsetOf(name, LogFiles.LOG_SUFFIX).ifPresent(logs::add);
                    if (name.endsWith(LogFiles.OFFSET_INDEX_SUFFIX) || name.endsWith(LogFiles.TIME_INDEX_SUFFIX)) {
                        indexFiles.add(file);
                    } else if (name.endsWith(".tmp")) {
                        Files.deleteIfExists(file);
                    }
                }
            }
            for (Path index : indexFiles) {
                String name = index.getFileName().toString();
                long base = Long.parseLong(name.substring(0, name.indexOf('.')));
                if (!logs.contains(base)) {
                    Files.deleteIfExists(index); // left behind by a deletion that crashed half-way
                }
            }
            baseOffsets.addAll(logs);
        } catch (IOException | NumberFormatException e) {
            throw new ThermoclineStorageException("Cannot list log directory " + dir + " of " + bucket, e);
        }

        long checkpointed = checkpoint.read();
        for (long base : baseOffsets) {
            segments.put(base, LogSegment.open(dir, base, config.indexIntervalBytes()));
        }
        Long recoverFrom = segments.floorKey(checkpointed);
        boolean dropRest = false;
        List<LogSegment> recovered = new ArrayList<>();
        for (LogSegment segment : new ArrayList<>(segments.values())) {
            if (dropRest) {
                LOG.warn("{}: deleting segment {} after a damaged one", bucket, segment.logFile());
                segments.remove(segment.baseOffset());
                segment.delete();
                continue;
            }
            boolean unflushed = recoverFrom == null || segment.baseOffset() >= recoverFrom;
            if (unflushed || segment.needsRecovery()) {
                int truncated = segment.recover();
                recovered.add(segment);
                if (truncated > 0) {
                    LOG.warn("{}: truncated {} damaged bytes from {}, log now ends at offset {}",
                            bucket, truncated, segment.logFile(), segment.nextOffset());
                    dropRest = true;
                }
            }
        }
        if (segments.isEmpty()) {
            segments.put(0L, LogSegment.create(dir, 0, config.indexIntervalBytes()));
        }
        logStartOffset = segments.firstKey();
        logEndOffset = segments.lastEntry().getValue().nextOffset();
        for (LogSegment segment : segments.descendingMap().values()) {
            if (segment.maxTimestamp() >= 0) {
                lastCommitTimestamp = segment.maxTimestamp();
                break;
            }
        }
        epochs = LeaderEpochCache.load(dir, logStartOffset, logEndOffset);
        scanWriterStates(writerStates.loadSnapshot(dir, logStartOffset, logEndOffset));
        // A snapshot is valid for one start only: later truncations would make it lie.
        WriterStates.deleteSnapshot(dir);
        // What recovery validated is what the log holds now: force it and start from there.
        recovered.forEach(LogSegment::flush);
        recoveryPoint = logEndOffset;
        checkpoint.write(recoveryPoint);
        lastFlushMs = clock.milliseconds();
    }

    // ------------------------------------------------------------------ appends

    /**
     * Appends batches from a writer: validates them all, assigns offsets from the log end, stamps
     * commit timestamp (never below the previous one) and leader epoch, recomputes their CRCs and
     * writes them. Changes {@code records} in place.
     */
    public LogAppendInfo appendAsLeader(MemoryLogRecords records, int leaderEpoch) {
        synchronized (lock) {
            ensureOpen();
            long offset = logEndOffset;
            // Validated views know the CRC of their bodies, so restamping hashes only headers.
            List<LogRecordBatch> batches = new ArrayList<>();
            for (LogRecordBatch batch : records.batches()) {
                validate(batch, offset);
                batches.add(batch);
                offset += batch.lastOffsetDelta() + 1;
            }
            if (batches.isEmpty()) {
                throw new InvalidRecordException(bucket, logEndOffset, "the append holds no batch");
            }
            Optional<WriterStates.Appended> retried = writerStates.checkAppend(bucket, batches, logEndOffset);
            if (retried.isPresent()) {
                WriterStates.Appended first = retried.get();
                return new LogAppendInfo(first.baseOffset(), first.lastOffset(), first.commitTimestamp(),
                        (int) (first.lastOffset() - first.baseOffset() + 1), 0);
            }
            long commitTimestamp = Math.max(clock.milliseconds(), lastCommitTimestamp);
            epochs.assign(leaderEpoch, logEndOffset);
            long next = logEndOffset;
            for (LogRecordBatch batch : batches) {
                batch.setBaseOffset(next);
                batch.setCommitTimestampAndEpoch(commitTimestamp, leaderEpoch);
                batch.updateChecksum();
                next = batch.nextOffset();
            }
            LogAppendInfo info = appendValidated(records, next, commitTimestamp);
            batches.forEach(writerStates::record);
            return info;
        }
    }

    /**
     * Appends batches copied from the leader, keeping their offsets, timestamps and epochs. The
     * first must start at the log end and each must follow the previous.
     */
    public LogAppendInfo appendAsFollower(MemoryLogRecords records) {
        synchronized (lock) {
            ensureOpen();
            long expected = logEndOffset;
            long maxTimestamp = -1;
            for (LogRecordBatch batch : records.batches()) {
                validate(batch, expected);
                if (batch.baseOffset() != expected) {
                    throw new InvalidRecordException(bucket, expected, "batch starts at offset " + batch.baseOffset()
                            + " but the log expects " + expected);
                }
                expected = batch.nextOffset();
                maxTimestamp = Math.max(maxTimestamp, batch.commitTimestamp());
            }
            if (expected == logEndOffset) {
                throw new InvalidRecordException(bucket, logEndOffset, "the append holds no batch");
            }
            for (LogRecordBatch batch : records.batches()) {
                epochs.assign(batch.leaderEpoch(), batch.baseOffset());
            }
            LogAppendInfo info = appendValidated(records, expected, maxTimestamp);
            records.batches().forEach(writerStates::record);
            return info;
        }
    }

    /**
     * For a writer batch that is turned into another before it is appended (a primary-key
     * table's changelog): its earlier append if it is a retry, empty if it is new. Throws
     * {@code OutOfOrderSequenceException} for a gap.
     */
    public Optional<LogAppendInfo> retriedAppend(long writerId, int batchSequence) {
        if (writerId == LogRecordBatchFormat.NO_WRITER_ID) {
            return Optional.empty();
        }
        synchronized (lock) {
            return writerStates.check(bucket, writerId, batchSequence).map(first -> new LogAppendInfo(first.baseOffset(),
                    first.lastOffset(), first.commitTimestamp(), (int) (first.lastOffset() - first.baseOffset() + 1), 0));
        }
    }

    /** Rebuilds writer states from batch headers from {@code from} to the log end. */
    private void scanWriterStates(long from) {
        lastWriterScanFrom = from;
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(from);
        if (entry == null) {
            entry = segments.firstEntry();
        }
        while (entry != null) {
            FileLogRecords records = entry.getValue().read(Math.max(from, entry.getKey()), Integer.MAX_VALUE,
                    logEndOffset);
            if (records != null) {
                for (LogRecordBatch header : records.batchHeaders()) {
                    if (header.lastOffset() >= from) {
                        writerStates.record(header);
                    }
                }
            }
            entry = segments.higherEntry(entry.getKey());
        }
    }

    private void rebuildWriterStates() {
        writerStates.clear();
        WriterStates.deleteSnapshot(dir);
        scanWriterStates(logStartOffset);
    }

    /** From the newest copy taken at a roll at or below the new log end; from the log start without one. */
    private void rebuildWriterStatesAfterTruncation() {
        Map.Entry<Long, WriterStates> atRoll = writerStatesAtRolls.newestUpTo(logEndOffset);
        if (atRoll == null || atRoll.getKey() < logStartOffset) {
            rebuildWriterStates();
            return;
        }
        writerStates.restore(atRoll.getValue());
        WriterStates.deleteSnapshot(dir);
        scanWriterStates(atRoll.getKey());
    }

    private void validate(LogRecordBatch batch, long offset) {
        batch.ensureValid(bucket, offset);
        if (batch.sizeInBytes() > config.maxBatchBytes()) {
            throw new RecordBatchTooLargeException(bucket, offset, batch.sizeInBytes(), config.maxBatchBytes());
        }
        if (!acceptedSchemaIds.test(batch.schemaId())) {
            throw new InvalidRecordException(bucket, offset, "schema id " + batch.schemaId()
                    + " is not a schema of this table");
        }
    }

    private LogAppendInfo appendValidated(MemoryLogRecords records, long nextOffset, long commitTimestamp) {
        long firstOffset = logEndOffset;
        int recordCount = (int) (nextOffset - firstOffset);
        maybeRoll(records.sizeInBytes(), nextOffset);
        segments.lastEntry().getValue().append(records);
        logEndOffset = nextOffset;
        lastCommitTimestamp = Math.max(lastCommitTimestamp, commitTimestamp);
        unflushedRecords += recordCount;
        long now = clock.milliseconds();
        if (unflushedRecords >= config.flushIntervalRecords()
                || (config.flushIntervalMs() > 0 && now - lastFlushMs >= config.flushIntervalMs())) {
            flushLocked();
        }
        return new LogAppendInfo(firstOffset, nextOffset - 1, commitTimestamp, recordCount, records.sizeInBytes());
    }

    private void maybeRoll(int incomingBytes, long nextOffset) {
        LogSegment active = segments.lastEntry().getValue();
        if (active.isEmpty()) {
            return;
        }
        boolean full = (long) active.size() + incomingBytes > config.segmentBytes();
        boolean old = clock.milliseconds() - active.firstTimestamp() >= config.segmentMaxAgeMs();
        // Time index entries hold offsets relative to the segment as ints.
        boolean offsetsOverflow = nextOffset - active.baseOffset() > Integer.MAX_VALUE;
        if (full || old || offsetsOverflow) {
            roll();
        }
    }

    /** Closes the active segment and starts a new one at the log end. */
    public void roll() {
        synchronized (lock) {
            ensureOpen();
            LogSegment active = segments.lastEntry().getValue();
            if (active.isEmpty()) {
                return;
            }
            long newBase = logEndOffset;
            segments.put(newBase, LogSegment.create(dir, newBase, config.indexIntervalBytes()));
            writerStatesAtRolls.rolled(newBase, writerStates);
            flushExecutor.execute(() -> flushBefore(newBase));
        }
    }

    /**
     * Forces the segments below {@code offset} to disk, then moves the recovery point there. Runs
     * on the flush executor and holds the append lock only to decide, never during I/O.
     */
    private void flushBefore(long offset) {
        try {
            long flushedUpTo = recoveryPoint;
            for (LogSegment segment : segments.headMap(offset).values()) {
                if (segment.nextOffset() > flushedUpTo) {
                    try {
                        segment.flush();
                    } catch (ThermoclineStorageException e) {
                        if (segments.get(segment.baseOffset()) == segment) {
                            throw e;
                        } // else retention or truncation deleted it meanwhile: nothing to make durable
                    }
                }
            }
            long version;
            synchronized (lock) {
                // A truncation below `offset` meanwhile invalidates this flush's claim.
                if (closed || offset <= recoveryPoint || offset > logEndOffset || !segments.containsKey(offset)) {
                    return;
                }
                recoveryPoint = offset;
                version = ++recoveryPointVersion;
            }
            persistRecoveryPoint(offset, version);
        } catch (ThermoclineStorageException e) {
            if (!closed) {
                LOG.error("{}: cannot flush segments below offset {}", bucket, offset, e);
            }
        }
    }

    /** Writes a recovery point decided under the lock, unless a newer decision was written already. */
    private void persistRecoveryPoint(long offset, long version) {
        synchronized (checkpointLock) {
            if (version > checkpointedVersion) {
                checkpoint.write(offset);
                checkpointedVersion = version;
            }
        }
    }

    // ------------------------------------------------------------------ reads

    /**
     * Reads whole batches from the one holding {@code fetchOffset}: at most {@code maxBytes}, but
     * at least one batch; none that reaches {@code upperBoundOffset} (the high watermark for
     * consumers, the log end for followers). Empty at the log end.
     *
     * @throws OffsetOutOfRangeException when {@code fetchOffset} is before the log start or after
     *     the log end; the caller should reset to one of them
     */
    public LogReadInfo read(long fetchOffset, int maxBytes, long upperBoundOffset) {
        long start = logStartOffset;
        long end = logEndOffset;
        if (fetchOffset < start || fetchOffset > end) {
            throw new OffsetOutOfRangeException("Offset " + fetchOffset + " is out of range for " + bucket
                    + ": the log holds offsets " + start + " to " + end + " (exclusive)");
        }
        long bound = Math.min(upperBoundOffset, end);
        if (fetchOffset >= bound) {
            return new LogReadInfo(fetchOffset, MemoryLogRecords.EMPTY, start, end);
        }
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(fetchOffset);
        while (entry != null) {
            FileLogRecords records;
            try {
                records = entry.getValue().read(fetchOffset, maxBytes, bound);
            } catch (ThermoclineStorageException e) {
                if (fetchOffset < logStartOffset) {
                    break; // retention deleted the segment while we read it
                }
                throw e;
            }
            if (records != null) {
                return new LogReadInfo(fetchOffset, records, start, end);
            }
            entry = segments.higherEntry(entry.getKey());
        }
        // Retention deleted the segment under the read.
        throw new OffsetOutOfRangeException("Offset " + fetchOffset + " of " + bucket
                + " was deleted by retention; the log now starts at " + logStartOffset);
    }

    /** The latest leader epoch that wrote to this log, or -1 when it is empty. */
    public int latestEpoch() {
        synchronized (lock) {
            return epochs.latestEpoch();
        }
    }

    /** Where {@code epoch} (or the largest earlier epoch this log knows) ends in this log. */
    public LeaderEpochCache.EpochEnd endOfEpoch(int epoch) {
        synchronized (lock) {
            return epochs.endOf(epoch, logEndOffset);
        }
    }

    /** The epochs of this log and their start offsets, oldest first. */
    public List<LeaderEpochCache.Entry> epochs() {
        synchronized (lock) {
            return epochs.entries();
        }
    }

    /** Reads up to the log end. */
    public LogReadInfo read(long fetchOffset, int maxBytes) {
        return read(fetchOffset, maxBytes, Long.MAX_VALUE);
    }

    /** Offset of the first batch committed at or after {@code timestamp}; empty if none is. */
    public OptionalLong offsetForTimestamp(long timestamp) {
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestamp() >= timestamp) {
                OptionalLong offset = segment.offsetForTimestamp(timestamp);
                if (offset.isPresent()) {
                    return offset;
                }
            }
        }
        return OptionalLong.empty();
    }

    // ------------------------------------------------------------------ retention and truncation

    /** Forgets idempotent writers idle for longer than the log's writer idle time; returns how many. */
    public int expireIdleWriters() {
        synchronized (lock) {
            ensureOpen();
            return writerStates.expire(clock.milliseconds() - config.writerIdleMs());
        }
    }

    /**
     * Deletes the oldest closed segments that are past the retention time (by their newest commit
     * timestamp) or beyond the retention size, but never one holding an offset at or above the
     * {@link RetentionGuard}'s bound, and never the active segment.
     *
     * @return the number of segments deleted
     */
    public int deleteExpiredSegments() {
        List<LogSegment> expired = new ArrayList<>();
        synchronized (lock) {
            ensureOpen();
            long now = clock.milliseconds();
            long deletableBefore = retentionGuard.deletableBefore();
            long totalSize = sizeInBytes();
            LogSegment active = segments.lastEntry().getValue();
            for (LogSegment segment : segments.values()) {
                if (segment == active || segment.nextOffset() > deletableBefore) {
                    break;
                }
                boolean pastTime = config.hasRetentionTime() && now - segment.maxTimestamp() > config.retentionMs();
                boolean overSize = config.hasRetentionBytes() && totalSize - segment.size() >= config.retentionBytes();
                if (!pastTime && !overSize) {
                    break;
                }
                expired.add(segment);
                totalSize -= segment.size();
            }
            for (LogSegment segment : expired) {
                // Move the start first so that readers get an out-of-range error, not an I/O error.
                logStartOffset = segments.higherKey(segment.baseOffset());
                segments.remove(segment.baseOffset());
            }
            if (!expired.isEmpty()) {
                epochs.truncateFromStart(logStartOffset);
            }
        }
        // Unlinking large files takes time: not under the append lock.
        for (LogSegment segment : expired) {
            segment.delete();
            LOG.info("{}: retention deleted segment {}, log starts at offset {}",
                    bucket, segment.logFile().getFileName(), logStartOffset);
        }
        return expired.size();
    }

    /**
     * Removes every batch whose last offset is at least {@code offset}; whole batches only, so
     * the new log end may be below {@code offset} when it falls inside a batch. For replicas that
     * diverged from the leader.
     *
     * @return the new log end offset
     */
    public long truncateTo(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot truncate " + bucket + " to negative offset " + offset);
        }
        synchronized (lock) {
            ensureOpen();
            if (offset >= logEndOffset) {
                return logEndOffset;
            }
            if (offset <= logStartOffset) {
                truncateFullyAndStartAt(offset);
                return logEndOffset;
            }
            for (LogSegment segment : new ArrayList<>(segments.tailMap(offset, true).values())) {
                segments.remove(segment.baseOffset());
                segment.delete();
            }
            logEndOffset = segments.lastEntry().getValue().truncateTo(offset);
            epochs.truncateFromEnd(logEndOffset);
            rebuildWriterStatesAfterTruncation();
            lowerRecoveryPoint();
            return logEndOffset;
        }
    }

    /** Deletes everything and continues with an empty log starting at {@code offset}. */
    public void truncateFullyAndStartAt(long offset) {
        synchronized (lock) {
            ensureOpen();
            for (LogSegment segment : new ArrayList<>(segments.values())) {
                segments.remove(segment.baseOffset());
                segment.delete();
            }
            segments.put(offset, LogSegment.create(dir, offset, config.indexIntervalBytes()));
            logStartOffset = offset;
            logEndOffset = offset;
            epochs.clear();
            writerStatesAtRolls.clear();
            rebuildWriterStates();
            lowerRecoveryPoint();
        }
    }

    /**
     * Persisted before the lock is released: appends after a truncation must never sit above a
     * stale, higher recovery point, or a crash would skip validating them.
     */
    private void lowerRecoveryPoint() {
        if (recoveryPoint > logEndOffset) {
            recoveryPoint = logEndOffset;
            persistRecoveryPoint(recoveryPoint, ++recoveryPointVersion);
        }
    }

    // ------------------------------------------------------------------ flush and close

    /** Forces everything appended so far to disk and moves the recovery point to the log end. */
    public void flush() {
        synchronized (lock) {
            ensureOpen();
            flushLocked();
        }
    }

    /** Flushes when the time-based flush interval has passed; for a periodic scheduler. */
    public void maybeFlush() {
        synchronized (lock) {
            if (!closed && config.flushIntervalMs() > 0 && clock.milliseconds() - lastFlushMs >= config.flushIntervalMs()) {
                flushLocked();
            }
        }
    }

    private void flushLocked() {
        for (LogSegment segment : segments.values()) {
            if (segment.nextOffset() > recoveryPoint || segment == segments.lastEntry().getValue()) {
                segment.flush();
            }
        }
        if (logEndOffset != recoveryPoint) {
            recoveryPoint = logEndOffset;
            persistRecoveryPoint(recoveryPoint, ++recoveryPointVersion);
        }
        unflushedRecords = 0;
        lastFlushMs = clock.milliseconds();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            flushLocked();
            writerStates.writeSnapshot(dir, logEndOffset);
            closed = true;
            for (LogSegment segment : segments.values()) {
                segment.close();
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The log of " + bucket + " in " + dir + " is closed");
        }
    }

    // ------------------------------------------------------------------ state

    public TableBucket bucket() {
        return bucket;
    }

    public Path dir() {
        return dir;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /** The offset the next appended record gets. */
    public long logEndOffset() {
        return logEndOffset;
    }

    /** The newest commit timestamp in the log, -1 if it has none. */
    public long lastCommitTimestamp() {
        synchronized (lock) {
            return lastCommitTimestamp;
        }
    }

    /** The offset below which everything is known to be on disk. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.size();
    }

    /** Base offsets of the segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return new ArrayList<>(segments.keySet());
    }

    @Override
    public String toString() {
        return "BucketLog(" + bucket + ", offsets " + logStartOffset + ".." + logEndOffset + ", " + segments.size()
                + " segments)";
    }

    /** Configures and opens a {@link BucketLog}. */
    public static final class Builder {
        private final Path dir;
        private final TableBucket bucket;
        private LogConfig config = LogConfig.defaults();
        private Clock clock = Clock.SYSTEM;
        private IntPredicate acceptedSchemaIds = id -> true;
        private RetentionGuard retentionGuard = RetentionGuard.NONE;
        private Executor flushExecutor = Runnable::run;

        private Builder(Path dir, TableBucket bucket) {
            this.dir = dir;
            this.bucket = bucket;
        }

        public Builder config(LogConfig value) {
            this.config = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Which schema ids appended batches may carry: the table's registered schemas. */
        public Builder acceptedSchemaIds(IntPredicate value) {
            this.acceptedSchemaIds = value;
            return this;
        }

        public Builder retentionGuard(RetentionGuard value) {
            this.retentionGuard = value;
            return this;
        }

        /** Where segments are forced to disk after a roll; the caller's thread by default. */
        public Builder flushExecutor(Executor value) {
            this.flushExecutor = value;
            return this;
        }

        /** Opens the log, recovering it when it was not closed cleanly. */
        public BucketLog open() {
            BucketLog log = new BucketLog(this);
            log.load();
            return log;
        }
    }
}

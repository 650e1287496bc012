package io.thermocline.server.log;

import static io.thermocline.common.internal.record.LogRecordBatchFormat.COMMIT_TIMESTAMP_OFFSET;
import static io.thermocline.common.internal.record.LogRecordBatchFormat.HEADER_SIZE;
import static io.thermocline.common.internal.record.LogRecordBatchFormat.LAST_OFFSET_DELTA_OFFSET;
import static io.thermocline.common.internal.record.LogRecordBatchFormat.LENGTH_OFFSET;
import static io.thermocline.common.internal.record.LogRecordBatchFormat.LOG_OVERHEAD;

import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.common.internal.record.BatchDefect;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.MemoryLogRecords;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One segment of a bucket log: {@code <base offset>.log} with its sparse offset index
 * ({@code .index}) and time index ({@code .timeindex}). Writes are serialized by the owning
 * {@link BucketLog}; reads run concurrently and see a prefix of the appended batches.
 */
final class LogSegment {
    private final Path dir;
    private final long baseOffset;
    private final int indexIntervalBytes;
    private final Path logFile;
    private final FileChannel channel;
    private SparseIndex offsetIndex;
    private SparseIndex timeIndex;
    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = -1;
    private volatile long firstTimestamp = -1;
    private int bytesSinceLastIndexEntry;
    private boolean indexesSane;

    private LogSegment(Path dir, long baseOffset, int indexIntervalBytes) throws IOException {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = indexIntervalBytes;
        this.logFile = dir.resolve(LogFiles.logFileName(baseOffset));
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.size = (int) Math.min(channel.size(), Integer.MAX_VALUE);
        this.nextOffset = baseOffset;
    }

    /** A new, empty segment; replaces leftovers of an earlier one at that offset. */
    static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes) {
        try {
            Files.deleteIfExists(dir.resolve(LogFiles.logFileName(baseOffset)));
            LogSegment segment = new LogSegment(dir, baseOffset, indexIntervalBytes);
            segment.offsetIndex = SparseIndex.createEmpty(dir.resolve(LogFiles.offsetIndexFileName(baseOffset)));
            segment.timeIndex = SparseIndex.createEmpty(dir.resolve(LogFiles.timeIndexFileName(baseOffset)));
            return segment;
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot create segment " + baseOffset + " in " + dir, e);
        }
    }

    /**
     * Opens an existing segment whose data is trusted (before the recovery point). Its indexes are
     * checked against the data; returns with {@link #needsRecovery()} true when they are missing or
     * damaged.
     */
    static LogSegment open(Path dir, long baseOffset, int indexIntervalBytes) {
        try {
            LogSegment segment = new LogSegment(dir, baseOffset, indexIntervalBytes);
            segment.loadIndexes();
            return segment;
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot open segment " + baseOffset + " in " + dir, e);
        }
    }

    private void loadIndexes() {
        Path offsetFile = dir.resolve(LogFiles.offsetIndexFileName(baseOffset));
        Path timeFile = dir.resolve(LogFiles.timeIndexFileName(baseOffset));
        boolean existed = Files.exists(offsetFile) && Files.exists(timeFile);
        offsetIndex = SparseIndex.openIfSane(offsetFile);
        timeIndex = SparseIndex.openIfSane(timeFile);
        indexesSane = existed && offsetIndex != null && timeIndex != null && indexesMatchData() && scanTail();
    }

    /** Every offset index entry must point at a batch with that base offset inside the file. */
    private boolean indexesMatchData() {
        for (int i = 0; i < offsetIndex.entries(); i++) {
            long offset = offsetIndex.keyAt(i);
            int position = offsetIndex.valueAt(i);
            if (offset < baseOffset || position < 0 || position + HEADER_SIZE > size) {
                return false;
            }
        }
        if (offsetIndex.entries() > 0) {
            int last = offsetIndex.entries() - 1;
            ByteBuffer header = records().readHeader(offsetIndex.valueAt(last));
            if (header.remaining() < HEADER_SIZE || header.getLong(0) != offsetIndex.keyAt(last)) {
                return false;
            }
        }
        for (int i = 0; i < timeIndex.entries(); i++) {
            if (timeIndex.valueAt(i) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Derives next offset, timestamps and index spacing by reading headers after the last index
     * entry. Returns false at a header whose length does not fit the file: the segment then needs
     * recovery.
     */
    private boolean scanTail() {
        int position = 0;
        if (offsetIndex.entries() > 0) {
            position = offsetIndex.valueAt(offsetIndex.entries() - 1);
        }
        if (size > 0) {
            firstTimestamp = records().readHeader(0).getLong(COMMIT_TIMESTAMP_OFFSET);
        }
        if (timeIndex.entries() > 0) {
            maxTimestamp = timeIndex.lastKey();
        }
        bytesSinceLastIndexEntry = 0;
        while (position < size) {
            ByteBuffer header = records().readHeader(position);
            long batchSize = header.remaining() < HEADER_SIZE ? -1 : LOG_OVERHEAD + (long) header.getInt(LENGTH_OFFSET);
            if (batchSize < HEADER_SIZE || position + batchSize > size) {
                return false;
            }
            nextOffset = header.getLong(0) + header.getInt(LAST_OFFSET_DELTA_OFFSET) + 1;
            maxTimestamp = Math.max(maxTimestamp, header.getLong(COMMIT_TIMESTAMP_OFFSET));
            bytesSinceLastIndexEntry += (int) batchSize;
            position += (int) batchSize;
        }
        return true;
    }

    boolean needsRecovery() {
        return !indexesSane;
    }

    /**
     * Validates every batch from the start, truncates at the first bad byte (bad CRC, impossible
     * length, offsets that do not follow on) and rebuilds both indexes.
     *
     * @return the number of bytes truncated
     */
    int recover() {
        closeIndexes(false); // rebuilt below
        offsetIndex = SparseIndex.createEmpty(dir.resolve(LogFiles.offsetIndexFileName(baseOffset)));
        timeIndex = SparseIndex.createEmpty(dir.resolve(LogFiles.timeIndexFileName(baseOffset)));
        nextOffset = baseOffset;
        maxTimestamp = -1;
        firstTimestamp = -1;
        bytesSinceLastIndexEntry = 0;
        int position = 0;
        long fileSize;
        try {
            fileSize = channel.size();
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot read size of " + logFile, e);
        }
        int limit = (int) Math.min(fileSize, Integer.MAX_VALUE);
        while (position < limit) {
            ByteBuffer batchBytes = readValidBatch(position, limit);
            if (batchBytes == null) {
                break;
            }
            LogRecordBatch batch = new LogRecordBatch(batchBytes);
            if (batch.baseOffset() != nextOffset) {
                break;
            }
            indexBatch(position, batch.baseOffset(), batch.commitTimestamp(), batch.sizeInBytes());
            nextOffset = batch.nextOffset();
            position += batch.sizeInBytes();
        }
        int truncated = (int) (fileSize - position);
        if (truncated > 0) {
            truncateFile(position);
        }
        size = position;
        indexesSane = true;
        return truncated;
    }

    private ByteBuffer readValidBatch(int position, int limit) {
        int available = limit - position;
        if (available < LOG_OVERHEAD) {
            return null;
        }
        ByteBuffer header = records(limit).readHeader(position);
        long length = LOG_OVERHEAD + (long) header.getInt(LENGTH_OFFSET);
        if (length < HEADER_SIZE || length > available) {
            return null;
        }
        ByteBuffer batch = records(limit).readBatch(position);
        return BatchDefect.find(batch, 0, batch.remaining()) == null ? batch : null;
    }

    private void indexBatch(int position, long batchBaseOffset, long commitTimestamp, int batchSize) {
        if (firstTimestamp < 0) {
            firstTimestamp = commitTimestamp;
        }
        if (position == 0 || bytesSinceLastIndexEntry >= indexIntervalBytes) {
            offsetIndex.append(batchBaseOffset, position);
            if (commitTimestamp > timeIndex.lastKey()) {
                timeIndex.append(commitTimestamp, (int) (batchBaseOffset - baseOffset));
            }
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
        maxTimestamp = Math.max(maxTimestamp, commitTimestamp);
    }

    /** Appends batches already validated and stamped with offsets following {@link #nextOffset()}. */
    void append(MemoryLogRecords records) {
        int position = size;
        ByteBuffer bytes = records.buffer();
        try {
            long at = position;
            while (bytes.hasRemaining()) {
                at += channel.write(bytes, at);
            }
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot append to " + logFile, e);
        }
        long next = nextOffset;
        for (LogRecordBatch batch : records.batches()) {
            indexBatch(position, batch.baseOffset(), batch.commitTimestamp(), batch.sizeInBytes());
            position += batch.sizeInBytes();
            next = batch.nextOffset();
        }
        size = position;
        nextOffset = next;
    }

    /**
     * The batches from the one holding {@code startOffset}, at most {@code maxBytes} (but at least
     * one batch, so that a large batch never blocks a reader), stopping before any batch that
     * reaches {@code upperBoundOffset}. Null when the segment holds no batch at or after
     * {@code startOffset}.
     */
    FileLogRecords read(long startOffset, int maxBytes, long upperBoundOffset) {
        int limit = size;
        int position = positionOf(startOffset, limit);
        if (position < 0) {
            return null;
        }
        int end = position;
        while (end < limit) {
            ByteBuffer header = records(limit).readHeader(end);
            long lastOffset = header.getLong(0) + header.getInt(LAST_OFFSET_DELTA_OFFSET);
            int batchSize = LOG_OVERHEAD + header.getInt(LENGTH_OFFSET);
            if (lastOffset >= upperBoundOffset || (end > position && end - position + batchSize > maxBytes)) {
                break;
            }
            end += batchSize;
        }
        return new FileLogRecords(logFile, channel, position, end - position);
    }

    /** Position of the batch holding {@code offset} (its last offset is at least offset), or -1. */
    private int positionOf(long offset, int limit) {
        int entry = offsetIndex.floor(offset);
        int position = entry < 0 ? 0 : offsetIndex.valueAt(entry);
        while (position < limit) {
            ByteBuffer header = records(limit).readHeader(position);
            long lastOffset = header.getLong(0) + header.getInt(LAST_OFFSET_DELTA_OFFSET);
            if (lastOffset >= offset) {
                return position;
            }
            position += LOG_OVERHEAD + header.getInt(LENGTH_OFFSET);
        }
        return -1;
    }

    /** Base offset of the first batch committed at or after {@code timestamp}. */
    OptionalLong offsetForTimestamp(long timestamp) {
        if (maxTimestamp < timestamp) {
            return OptionalLong.empty();
        }
        int entry = timeIndex.floor(timestamp - 1);
        long scanFrom = entry < 0 ? baseOffset : baseOffset + timeIndex.valueAt(entry);
        int limit = size;
        int position = positionOf(scanFrom, limit);
        while (position >= 0 && position < limit) {
            ByteBuffer header = records(limit).readHeader(position);
            if (header.getLong(COMMIT_TIMESTAMP_OFFSET) >= timestamp) {
                return OptionalLong.of(header.getLong(0));
            }
            position += LOG_OVERHEAD + header.getInt(LENGTH_OFFSET);
        }
        return OptionalLong.empty();
    }

    /**
     * Removes every batch whose last offset is at least {@code offset}. A batch is kept or removed
     * whole, so the new next offset may be below {@code offset} when it falls inside a batch.
     *
     * @return the new next offset
     */
    long truncateTo(long offset) {
        int limit = size;
        int position = positionOf(offset, limit);
        if (position < 0) {
            return nextOffset;
        }
        offsetIndex.truncateFromValue(position);
        long truncatedFrom = records(limit).readHeader(position).getLong(0);
        timeIndex.truncateFromValue((int) (truncatedFrom - baseOffset));
        truncateFile(position);
        size = position;
        nextOffset = truncatedFrom;
        // Re-derive timestamps and index spacing from what is left.
        maxTimestamp = -1;
        firstTimestamp = -1;
        if (!scanTail()) {
            throw new IllegalStateException("Segment " + logFile + " has an invalid batch before offset " + offset);
        }
        return nextOffset;
    }

    private void truncateFile(int position) {
        try {
            channel.truncate(position);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot truncate " + logFile + " to " + position, e);
        }
    }

    private FileLogRecords records() {
        return records(size);
    }

    private FileLogRecords records(int limit) {
        return new FileLogRecords(logFile, channel, 0, limit);
    }

    long baseOffset() {
        return baseOffset;
    }

    long nextOffset() {
        return nextOffset;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Newest commit timestamp in the segment, or -1 when empty. */
    long maxTimestamp() {
        return maxTimestamp;
    }

    /** Commit timestamp of the first batch, or -1 when empty. */
    long firstTimestamp() {
        return firstTimestamp;
    }

    Path logFile() {
        return logFile;
    }

    void flush() {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot flush " + logFile, e);
        }
        offsetIndex.flush();
        timeIndex.flush();
    }

    private void closeIndexes(boolean writePending) {
        if (offsetIndex != null) {
            offsetIndex.close(writePending);
        }
        if (timeIndex != null) {
            timeIndex.close(writePending);
        }
    }

    void close() {
        close(true);
    }

    private void close(boolean writePendingIndexEntries) {
        closeIndexes(writePendingIndexEntries);
        try {
            channel.close();
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot close " + logFile, e);
        }
    }

    void delete() {
        close(false);
        try {
            Files.deleteIfExists(logFile);
            Files.deleteIfExists(dir.resolve(LogFiles.offsetIndexFileName(baseOffset)));
            Files.deleteIfExists(dir.resolve(LogFiles.timeIndexFileName(baseOffset)));
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot delete segment " + logFile, e);
        }
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile.getFileName() + ", next offset " + nextOffset + ", " + size + " bytes)";
    }
}

package io.thermocline.common.internal.record;

import static io.thermocline.common.internal.record.LogRecordBatchFormat.*;

import io.thermocline.common.exception.CorruptRecordException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.metadata.TableBucket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A view over one serialized batch (layout in {@link LogRecordBatchFormat}). Reading header
 * fields decodes nothing else. The setters are for the bucket leader, which validates, stamps
 * offset, timestamp and epoch and then calls {@link #updateChecksum()}. Not thread-safe.
 */
public final class LogRecordBatch {
    private final ByteBuffer buffer;
    private final int start;
    /** CRC of the bytes after the stamped fields, learnt by {@link #ensureValid}; -1 if unknown. */
    long tailChecksum = -1;

    /** A view of the batch that starts at {@code buffer}'s position. */
    public LogRecordBatch(ByteBuffer buffer) {
        this.buffer = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.start = buffer.position();
    }

    /** The batch's bytes as a little-endian buffer positioned at its first byte, limited to its end. */
    public ByteBuffer buffer() {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position(start).limit(start + sizeInBytes());
        return b;
    }

    public long baseOffset() {
        return buffer.getLong(start + BASE_OFFSET_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    public int sizeInBytes() {
        return LOG_OVERHEAD + buffer.getInt(start + LENGTH_OFFSET);
    }

    public byte magic() {
        return buffer.get(start + MAGIC_OFFSET);
    }

    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(start + CRC_OFFSET));
    }

    public int schemaId() {
        return buffer.getInt(start + SCHEMA_ID_OFFSET);
    }

    public int attributes() {
        return buffer.getShort(start + ATTRIBUTES_OFFSET);
    }

    public LogCompression compression() {
        return LogCompression.fromId(attributes() & COMPRESSION_MASK);
    }

    /** Whether rows carry change types; false for append-only batches, whose rows are all +I. */
    public boolean isChangelog() {
        return (attributes() & CHANGELOG_FLAG) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(start + LAST_OFFSET_DELTA_OFFSET);
    }

    public long commitTimestamp() {
        return buffer.getLong(start + COMMIT_TIMESTAMP_OFFSET);
    }

    public int leaderEpoch() {
        return buffer.getInt(start + LEADER_EPOCH_OFFSET);
    }

    public long writerId() {
        return buffer.getLong(start + WRITER_ID_OFFSET);
    }

    public int batchSequence() {
        return buffer.getInt(start + BATCH_SEQUENCE_OFFSET);
    }

    public int recordCount() {
        return buffer.getInt(start + RECORD_COUNT_OFFSET);
    }

    /** Whether this is a writer's no-op marker: no rows, one offset (see {@link LogRecordBatchFormat}). */
    public boolean isNoOpMarker() {
        return recordCount() == 0;
    }

    public ChangeType changeType(int row) {
        return isChangelog() ? ChangeType.fromValue(buffer.get(start + HEADER_SIZE + row)) : ChangeType.INSERT;
    }

    /** Position of the Arrow IPC message relative to the batch start. */
    public int arrowOffset() {
        return HEADER_SIZE + (isChangelog() ? recordCount() : 0);
    }

    public void setBaseOffset(long baseOffset) {
        buffer.putLong(start + BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Sets commit timestamp and leader epoch; the caller then calls {@link #updateChecksum()}. */
    public void setCommitTimestampAndEpoch(long commitTimestamp, int leaderEpoch) {
        buffer.putLong(start + COMMIT_TIMESTAMP_OFFSET, commitTimestamp);
        buffer.putInt(start + LEADER_EPOCH_OFFSET, leaderEpoch);
    }

    /**
     * Gives the batch to another idempotent writer id and sequence (a writer that starts over
     * after losing a batch), recomputing the whole CRC.
     */
    public void restampWriter(long writerId, int batchSequence) {
        buffer.putLong(start + WRITER_ID_OFFSET, writerId);
        buffer.putInt(start + BATCH_SEQUENCE_OFFSET, batchSequence);
        tailChecksum = -1;
        updateChecksum();
    }

    public long computeChecksum() {
        return Crc32C.compute(buffer, start + CRC_START, sizeInBytes() - CRC_START);
    }

    /**
     * Recomputes the CRC after the stamped fields changed. After {@link #ensureValid} this hashes
     * only the header and combines it with the known CRC of the rest: no second pass over the body.
     */
    public void updateChecksum() {
        long crc;
        if (tailChecksum >= 0) {
            long head = Crc32C.compute(buffer, start + CRC_START, STAMPED_END - CRC_START);
            crc = Crc32C.combine(head, tailChecksum, sizeInBytes() - STAMPED_END);
        } else {
            crc = computeChecksum();
        }
        buffer.putInt(start + CRC_OFFSET, (int) crc);
    }

    /**
     * Checks everything that can be checked without the schema: magic, length, CRC, attributes,
     * record count and change types. Throws {@link CorruptRecordException} for damaged bytes and
     * {@link InvalidRecordException} for intact but unacceptable ones, naming bucket and offset.
     */
    public void ensureValid(TableBucket bucket, long offset) {
        BatchDefect defect = BatchDefect.check(buffer, start, buffer.limit() - start, this);
        if (defect != null) {
            throw defect.toException(bucket, offset);
        }
    }

    @Override
    public String toString() {
        return "LogRecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", records="
                + recordCount() + ", bytes=" + sizeInBytes() + ", schemaId=" + schemaId() + ", commitTimestamp="
                + commitTimestamp() + ", leaderEpoch=" + leaderEpoch() + ", changelog=" + isChangelog() + ")";
    }
}

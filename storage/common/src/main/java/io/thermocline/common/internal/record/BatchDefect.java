package io.thermocline.common.internal.record;

import static io.thermocline.common.internal.record.LogRecordBatchFormat.*;

import io.thermocline.common.exception.CorruptRecordException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.ThermoclineException;
import io.thermocline.common.metadata.TableBucket;

import java.nio.ByteBuffer;

/**
 * What is wrong with a batch, found without its schema. One check serves both the append path,
 * which turns it into a typed exception, and log recovery, which truncates at it.
 */
public final class BatchDefect {
    private final boolean corrupt;
    private final String reason;

    private BatchDefect(boolean corrupt, String reason) {
        this.corrupt = corrupt;
        this.reason = reason;
    }

    /** Damaged bytes (CRC, length, truncation), as opposed to an intact batch we refuse. */
    public boolean isCorrupt() {
        return corrupt;
    }

    public String reason() {
        return reason;
    }

    public ThermoclineException toException(TableBucket bucket, long offset) {
        return corrupt
                ? new CorruptRecordException(bucket, offset, reason)
                : new InvalidRecordException(bucket, offset, reason);
    }

    /**
     * The first defect of the batch at {@code position}, of which {@code available} bytes are
     * present, or null when it is sound.
     */
    public static BatchDefect find(ByteBuffer buffer, int position, int available) {
        return check(buffer, position, available, null);
    }

    /** Like {@link #find}; a sound batch learns the CRC of its bytes after the stamped fields. */
    static BatchDefect check(ByteBuffer buffer, int position, int available, LogRecordBatch batch) {
        if (available < LOG_OVERHEAD) {
            return new BatchDefect(true, "truncated: " + available + " bytes remain, a batch header needs " + HEADER_SIZE);
        }
        int length = buffer.getInt(position + LENGTH_OFFSET);
        long size = LOG_OVERHEAD + (long) length;
        if (size < MIN_BATCH_SIZE) {
            return new BatchDefect(true, "impossible length " + length + ", a batch has at least "
                    + (MIN_BATCH_SIZE - LOG_OVERHEAD) + " bytes after its length field");
        }
        if (size > available) {
            return new BatchDefect(true, "impossible length " + length + ": batch size " + size + " exceeds the "
                    + available + " bytes available");
        }
        byte magic = buffer.get(position + MAGIC_OFFSET);
        if (magic != CURRENT_MAGIC) {
            return new BatchDefect(false, "unknown magic " + magic + ", this version reads magic " + CURRENT_MAGIC);
        }
        long stored = Integer.toUnsignedLong(buffer.getInt(position + CRC_OFFSET));
        int tailLength = (int) size - STAMPED_END;
        long tail = Crc32C.compute(buffer, position + STAMPED_END, tailLength);
        long head = Crc32C.compute(buffer, position + CRC_START, STAMPED_END - CRC_START);
        long computed = Crc32C.combine(head, tail, tailLength);
        if (stored != computed) {
            return new BatchDefect(true, "CRC mismatch: stored " + stored + ", computed " + computed);
        }
        int attributes = buffer.getShort(position + ATTRIBUTES_OFFSET);
        if ((attributes & ~KNOWN_ATTRIBUTES) != 0 || !LogCompression.isValidId(attributes & COMPRESSION_MASK)) {
            return new BatchDefect(false, "unknown attributes 0x" + Integer.toHexString(attributes & 0xFFFF));
        }
        int recordCount = buffer.getInt(position + RECORD_COUNT_OFFSET);
        int lastOffsetDelta = buffer.getInt(position + LAST_OFFSET_DELTA_OFFSET);
        if (recordCount == 0) {
            if (lastOffsetDelta != 0 || buffer.getLong(position + WRITER_ID_OFFSET) == NO_WRITER_ID) {
                return new BatchDefect(false, "a batch without rows is a writer's no-op marker: it spans one offset"
                        + " and names a writer (last offset delta " + lastOffsetDelta + ", writer id "
                        + buffer.getLong(position + WRITER_ID_OFFSET) + ")");
            }
        } else if (recordCount < 1 || lastOffsetDelta != recordCount - 1) {
            return new BatchDefect(false, "record count " + recordCount + " does not match last offset delta "
                    + lastOffsetDelta);
        }
        int arrowOffset = HEADER_SIZE;
        if ((attributes & CHANGELOG_FLAG) != 0) {
            arrowOffset += recordCount;
            if (arrowOffset + ARROW_PREFIX_SIZE > size) {
                return new BatchDefect(false, "record count " + recordCount + " leaves no room for the rows in "
                        + size + " bytes");
            }
            for (int i = 0; i < recordCount; i++) {
                byte changeType = buffer.get(position + HEADER_SIZE + i);
                if (!ChangeType.isValid(changeType)) {
                    return new BatchDefect(false, "unknown change type " + changeType + " at row " + i);
                }
            }
        }
        int continuation = buffer.getInt(position + arrowOffset);
        int metadataSize = buffer.getInt(position + arrowOffset + 4);
        if (continuation != ARROW_CONTINUATION || metadataSize < 0
                || arrowOffset + ARROW_PREFIX_SIZE + (long) metadataSize > size) {
            return new BatchDefect(false, "malformed Arrow message prefix (marker " + continuation + ", metadata "
                    + metadataSize + " bytes)");
        }
        if (batch != null) {
            batch.tailChecksum = tail;
        }
        return null;
    }
}

package io.thermocline.common.internal.record;

import static io.thermocline.common.internal.record.LogRecordBatchFormat.LENGTH_OFFSET;
import static io.thermocline.common.internal.record.LogRecordBatchFormat.LOG_OVERHEAD;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches held in a heap or direct buffer, from position to limit. Iteration slices the buffer by
 * the length fields without validating; validate each batch with {@link
 * LogRecordBatch#ensureValid}, which also rejects a length that runs past the end.
 */
public final class MemoryLogRecords implements LogRecords {
    public static final MemoryLogRecords EMPTY = new MemoryLogRecords(ByteBuffer.allocate(0));

    private final ByteBuffer buffer;

    private MemoryLogRecords(ByteBuffer buffer) {
        this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Wraps the bytes from {@code buffer}'s position to its limit without copying. */
    public static MemoryLogRecords readableRecords(ByteBuffer buffer) {
        return new MemoryLogRecords(buffer);
    }

    /** The records' bytes, positioned at 0. Changes to it change the records. */
    public ByteBuffer buffer() {
        return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public int sizeInBytes() {
        return buffer.limit();
    }

    @Override
    public Iterable<LogRecordBatch> batches() {
        return () -> new Iterator<>() {
            private int position;

            @Override
            public boolean hasNext() {
                return position < buffer.limit();
            }

            @Override
            public LogRecordBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int remaining = buffer.limit() - position;
                long size = remaining < LOG_OVERHEAD ? remaining : LOG_OVERHEAD + (long) buffer.getInt(position + LENGTH_OFFSET);
                ByteBuffer view = buffer.duplicate();
                view.position(position);
                LogRecordBatch batch = new LogRecordBatch(view);
                // A length running past the end yields one last view that validation rejects.
                position = size < LOG_OVERHEAD || size > remaining ? buffer.limit() : position + (int) size;
                return batch;
            }
        };
    }

    @Override
    public String toString() {
        return "MemoryLogRecords(" + sizeInBytes() + " bytes)";
    }
}

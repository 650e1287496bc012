package io.thermocline.common.internal.record;

import static io.thermocline.common.internal.record.LogRecordBatchFormat.*;

import io.thermocline.common.internal.arrow.ArrowWriter;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.types.RowType;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Builds log batches from rows, one batch at a time, reusing its Arrow vectors, its change-type
 * buffer and its serialization buffer across batches. A batch stops accepting rows once its
 * estimated size reaches the write limit, so it exceeds the limit by at most one row. Not
 * thread-safe; close it to release its Arrow memory.
 *
 * <p>Batches leave the builder with base offset 0, no commit timestamp and no leader epoch; the
 * bucket leader stamps those on append.
 */
public final class LogRecordBatchBuilder implements AutoCloseable {
    private final int schemaId;
    private final LogCompression compression;
    private final boolean changelog;
    private final int writeLimit;
    private final ArrowWriter arrowWriter;
    private final CompressionCodec codec;
    private final GrowableByteChannel output;
    private byte[] changeTypes = new byte[256];
    private long writerId = NO_WRITER_ID;
    private int batchSequence = NO_BATCH_SEQUENCE;

    /**
     * @param changelog whether rows carry change types (primary-key tables); append-only batches
     *     store none and read as +I
     * @param writeLimit the batch size, in bytes, at which the builder reports full
     */
    public LogRecordBatchBuilder(
            RowType rowType,
            int schemaId,
            LogCompression compression,
            boolean changelog,
            int writeLimit,
            BufferAllocator allocator) {
        if (writeLimit < MIN_BATCH_SIZE) {
            throw new IllegalArgumentException("Write limit must be at least " + MIN_BATCH_SIZE + ", got " + writeLimit);
        }
        this.schemaId = schemaId;
        this.compression = compression;
        this.changelog = changelog;
        this.writeLimit = writeLimit;
        this.arrowWriter = new ArrowWriter(rowType, allocator);
        this.codec = compression.createCodec();
        this.output = new GrowableByteChannel(Math.min(writeLimit + writeLimit / 8, 16 << 20));
    }

    /** The idempotent writer's id and sequence for the next batch built. */
    public void setWriterState(long writerId, int batchSequence) {
        this.writerId = writerId;
        this.batchSequence = batchSequence;
    }

    /** Appends an append-only row. */
    public boolean tryAppend(InternalRow row) {
        return tryAppend(ChangeType.INSERT, row);
    }

    /**
     * Appends a row unless the batch is full; the first row of a batch is always taken. A row that
     * does not fit the schema throws {@link io.thermocline.common.exception.SchemaException} and
     * leaves the batch as it was.
     */
    public boolean tryAppend(ChangeType changeType, InternalRow row) {
        if (isFull()) {
            return false;
        }
        if (!changelog && changeType != ChangeType.INSERT) {
            throw new IllegalArgumentException("An append-only batch takes only +I rows, got " + changeType.shortString());
        }
        int index = arrowWriter.rowCount();
        arrowWriter.write(row);
        if (changelog) {
            if (index == changeTypes.length) {
                changeTypes = Arrays.copyOf(changeTypes, changeTypes.length * 2);
            }
            changeTypes[index] = changeType.value();
        }
        return true;
    }

    public int recordCount() {
        return arrowWriter.rowCount();
    }

    public boolean isEmpty() {
        return arrowWriter.rowCount() == 0;
    }

    /** Estimated size of the batch built from the rows so far, before compression. */
    public long estimatedSizeInBytes() {
        int rows = arrowWriter.rowCount();
        return HEADER_SIZE + (changelog ? rows : 0) + 512L + arrowWriter.estimatedSizeInBytes();
    }

    public boolean isFull() {
        return !isEmpty() && estimatedSizeInBytes() >= writeLimit;
    }

    /** The schema id every batch of this builder names. */
    public int schemaId() {
        return schemaId;
    }

    /** Serializes the rows appended so far into one batch and resets the builder for the next. */
    public MemoryLogRecords build() {
        if (arrowWriter.rowCount() == 0) {
            throw new IllegalStateException("A batch needs at least one row");
        }
        return serialize();
    }

    /**
     * A no-op marker of the writer set by {@link #setWriterState}: a batch without rows that spans
     * one offset (see {@link LogRecordBatchFormat}). The builder must hold no rows.
     */
    public MemoryLogRecords buildNoOpMarker() {
        if (arrowWriter.rowCount() != 0 || writerId == NO_WRITER_ID) {
            throw new IllegalStateException("A no-op marker has no rows and names a writer");
        }
        return serialize();
    }

    private MemoryLogRecords serialize() {
        int rows = arrowWriter.rowCount();
        try {
            output.reset();
            output.skip(HEADER_SIZE);
            if (changelog) {
                output.write(ByteBuffer.wrap(changeTypes, 0, rows));
            }
            VectorSchemaRoot root = arrowWriter.finish();
            try (ArrowRecordBatch recordBatch = new VectorUnloader(root, true, codec, true).getRecordBatch()) {
                MessageSerializer.serialize(new WriteChannel(output), recordBatch);
            }
            ByteBuffer batch = output.written();
            batch.putLong(BASE_OFFSET_OFFSET, 0L);
            batch.putInt(LENGTH_OFFSET, output.position() - LOG_OVERHEAD);
            batch.put(MAGIC_OFFSET, CURRENT_MAGIC);
            batch.putInt(SCHEMA_ID_OFFSET, schemaId);
            batch.putShort(ATTRIBUTES_OFFSET, (short) (compression.id() | (changelog ? CHANGELOG_FLAG : 0)));
            batch.putInt(LAST_OFFSET_DELTA_OFFSET, Math.max(0, rows - 1));
            batch.putLong(COMMIT_TIMESTAMP_OFFSET, NO_TIMESTAMP);
            batch.putInt(LEADER_EPOCH_OFFSET, NO_LEADER_EPOCH);
            batch.putLong(WRITER_ID_OFFSET, writerId);
            batch.putInt(BATCH_SEQUENCE_OFFSET, batchSequence);
            batch.putInt(RECORD_COUNT_OFFSET, rows);
            batch.putInt(CRC_OFFSET, (int) Crc32C.compute(batch, CRC_START, output.position() - CRC_START));
            return MemoryLogRecords.readableRecords(ByteBuffer.wrap(output.copyOfWritten()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialize a log batch in memory", e);
        } finally {
            arrowWriter.reset();
        }
    }

    @Override
    public void close() {
        arrowWriter.close();
    }
}

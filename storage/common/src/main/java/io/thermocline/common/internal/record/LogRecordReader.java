package io.thermocline.common.internal.record;

import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.internal.arrow.ArrowColumnarRow;
import io.thermocline.common.internal.arrow.ArrowTypes;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.types.RowType;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Decodes batches written with one row type (the schema is supplied, batches carry only its id)
 * into a reused set of Arrow vectors. Each {@link #read} replaces the previous batch's vectors,
 * so a {@link ColumnarBatch} is valid until the next read or {@link #close()}. Not thread-safe.
 */
public final class LogRecordReader implements AutoCloseable {
    private final TableBucket bucket;
    private final RowType rowType;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final VectorLoader loader;
    private final ArrowColumnarRow row;

    /** @param bucket named in errors; may be null where unknown */
    public LogRecordReader(TableBucket bucket, RowType rowType, BufferAllocator allocator) {
        this.bucket = bucket;
        this.rowType = rowType;
        this.allocator = allocator;
        this.root = VectorSchemaRoot.create(ArrowTypes.toArrowSchema(rowType), allocator);
        this.loader = new VectorLoader(root, LogCompression.decompressionFactory());
        this.row = new ArrowColumnarRow(root);
    }

    /**
     * Loads the batch's rows. Throws {@link InvalidRecordException} when the batch does not match
     * the row type (column count, row count) or its Arrow message is malformed.
     */
    public ColumnarBatch read(LogRecordBatch batch) {
        ByteBuffer bytes = batch.buffer();
        int arrowStart = bytes.position() + batch.arrowOffset();
        ArrowMessage message;
        try {
            message = ArrowMessage.parse(bytes, arrowStart);
        } catch (RuntimeException e) {
            throw invalid(batch, "malformed Arrow message: " + e.getMessage());
        }
        int expectedNodes = root.getFieldVectors().size();
        if (message.recordBatch.nodesLength() != expectedNodes) {
            throw invalid(batch, "batch has " + message.recordBatch.nodesLength() + " columns but the row type has "
                    + expectedNodes + ": " + rowType);
        }
        if (message.recordBatch.length() != batch.recordCount()) {
            throw invalid(batch, "Arrow body has " + message.recordBatch.length() + " rows, header says "
                    + batch.recordCount());
        }
        int bodyStart = arrowStart + message.bodyOffset;
        if (bodyStart + message.bodyLength > bytes.limit()) {
            throw invalid(batch, "Arrow body of " + message.bodyLength + " bytes runs past the batch end");
        }
        ArrowBuf body = allocator.buffer(message.bodyLength);
        ArrowRecordBatch recordBatch;
        try {
            ByteBuffer bodyBytes = bytes.duplicate();
            bodyBytes.limit(bodyStart + (int) message.bodyLength).position(bodyStart);
            body.setBytes(0, bodyBytes);
        } catch (RuntimeException e) {
            body.close();
            throw e;
        }
        try {
            // Takes over the body buffer: its slices live on in the record batch.
            recordBatch = MessageSerializer.deserializeRecordBatch(message.recordBatch, body);
        } catch (IOException | RuntimeException e) {
            if (body.getReferenceManager().getRefCount() > 0) {
                body.close();
            }
            throw invalid(batch, "cannot decode Arrow body: " + e);
        }
        try (recordBatch) {
            loader.load(recordBatch);
        } catch (RuntimeException e) {
            throw invalid(batch, "cannot load Arrow body: " + e);
        }
        return new ColumnarBatch(batch, root, row);
    }

    private InvalidRecordException invalid(LogRecordBatch batch, String reason) {
        return new InvalidRecordException(bucket, batch.baseOffset(), reason);
    }

    public RowType rowType() {
        return rowType;
    }

    /** The vectors each read loads into (the same objects every time). */
    VectorSchemaRoot vectors() {
        return root;
    }

    @Override
    public void close() {
        root.close();
    }
}

package io.thermocline.common.internal.record;

import static io.thermocline.common.internal.record.LogRecordBatchFormat.*;

import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.internal.arrow.ArrowTypes;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.types.RowType;

import com.google.flatbuffers.FlatBufferBuilder;
import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.types.pojo.Field;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a batch into a valid batch holding only some columns, without decoding a row: it rewrites
 * the Arrow metadata (field nodes and buffer offsets) and copies each chosen column's buffers as
 * one contiguous span. Compressed buffers are copied as they are. Reading k of n columns moves
 * about k/n of the body bytes, and from a file only those bytes are read.
 *
 * <p>The result keeps the header (offsets, timestamp, epoch, writer state, change types) with a
 * new length and CRC. Decode it with the {@linkplain #projectedRowType() projected row type}.
 * Immutable and thread-safe.
 */
public final class BatchProjection {
    /** Bytes read up front: header, change types and Arrow metadata of a typical batch. */
    private static final int PREFIX_GUESS = 4096;

    private final TableBucket bucket;
    private final RowType projectedRowType;
    private final int[] columns;
    private final int totalNodes;
    private final int[] nodeStart;
    private final int[] nodeCount;
    private final int[] bufferStart;
    private final int[] bufferCount;

    /**
     * @param rowType the row type the batches were written with
     * @param columns indexes of the columns to keep, in the order wanted, without repeats; none
     *     keeps only the header and row count (a batch older than every wanted column)
     * @param bucket named in errors; may be null
     */
    public BatchProjection(RowType rowType, int[] columns, TableBucket bucket) {
        Set<Integer> seen = new HashSet<>();
        for (int column : columns) {
            if (column < 0 || column >= rowType.fieldCount()) {
                throw new SchemaException("Projected column index " + column + " is out of range for " + rowType);
            }
            if (!seen.add(column)) {
                throw new SchemaException("Projected column index " + column + " is listed twice");
            }
        }
        this.bucket = bucket;
        this.columns = columns.clone();
        this.projectedRowType = rowType.project(columns);
        List<Field> fields = ArrowTypes.toArrowSchema(rowType).getFields();
        int n = fields.size();
        this.nodeStart = new int[n];
        this.nodeCount = new int[n];
        this.bufferStart = new int[n];
        this.bufferCount = new int[n];
        int nodes = 0;
        int buffers = 0;
        for (int i = 0; i < n; i++) {
            nodeStart[i] = nodes;
            bufferStart[i] = buffers;
            nodeCount[i] = countNodes(fields.get(i));
            bufferCount[i] = countBuffers(fields.get(i));
            nodes += nodeCount[i];
            buffers += bufferCount[i];
        }
        this.totalNodes = nodes;
    }

    public RowType projectedRowType() {
        return projectedRowType;
    }

    public MemoryLogRecords project(LogRecordBatch batch) {
        try {
            return project(ByteSource.of(batch));
        } catch (IOException e) {
            throw new IllegalStateException("In-memory reads do not fail", e);
        }
    }

    /** Projects the batch that {@code source} holds; reads only what the projection keeps. */
    public MemoryLogRecords project(ByteSource source) throws IOException {
        int size = source.size();
        ByteBuffer prefix = read(source, 0, Math.min(size, PREFIX_GUESS));
        long baseOffset = prefix.getLong(BASE_OFFSET_OFFSET);
        int recordCount = prefix.getInt(RECORD_COUNT_OFFSET);
        boolean changelog = (prefix.getShort(ATTRIBUTES_OFFSET) & CHANGELOG_FLAG) != 0;
        int arrowStart = HEADER_SIZE + (changelog ? recordCount : 0);
        if (arrowStart + ARROW_PREFIX_SIZE > prefix.limit()) {
            prefix = read(source, 0, checkedEnd(baseOffset, arrowStart + ARROW_PREFIX_SIZE, size));
        }
        int metadataEnd = checkedEnd(baseOffset, arrowStart + ARROW_PREFIX_SIZE + (long) prefix.getInt(arrowStart + 4), size);
        if (metadataEnd > prefix.limit()) {
            prefix = read(source, 0, metadataEnd);
        }
        ArrowMessage message = ArrowMessage.parse(prefix, arrowStart);
        RecordBatch source0 = message.recordBatch;
        if (source0.nodesLength() != totalNodes) {
            throw new InvalidRecordException(bucket, baseOffset, "batch has " + source0.nodesLength()
                    + " Arrow field nodes but its schema has " + totalNodes);
        }
        int oldBodyStart = arrowStart + message.bodyOffset;

        // New body layout: each column's buffers as one span, each span 8-byte aligned.
        long[] spanStart = new long[columns.length];
        long[] spanLength = new long[columns.length];
        long[] newSpanStart = new long[columns.length];
        long cursor = 0;
        Buffer buffer = new Buffer();
        for (int i = 0; i < columns.length; i++) {
            int c = columns[i];
            source0.buffers(buffer, bufferStart[c]);
            spanStart[i] = buffer.offset();
            source0.buffers(buffer, bufferStart[c] + bufferCount[c] - 1);
            spanLength[i] = buffer.offset() + buffer.length() - spanStart[i];
            newSpanStart[i] = align8(cursor);
            cursor = newSpanStart[i] + spanLength[i];
        }
        long newBodyLength = align8(cursor);
        ByteBuffer metadata = buildMetadata(message, source0, spanStart, newSpanStart, newBodyLength);
        int metadataSize = (int) align8(metadata.remaining());

        long outputSize = arrowStart + (long) ARROW_PREFIX_SIZE + metadataSize + newBodyLength;
        if (outputSize > Integer.MAX_VALUE) {
            throw new InvalidRecordException(bucket, baseOffset, "projected batch would exceed 2 GiB");
        }
        byte[] out = new byte[(int) outputSize];
        ByteBuffer output = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        output.put(prefix.duplicate().position(0).limit(arrowStart));
        output.putInt(ARROW_CONTINUATION);
        output.putInt(metadataSize);
        output.put(metadata);
        int newBodyStart = arrowStart + ARROW_PREFIX_SIZE + metadataSize;
        for (int i = 0; i < columns.length; i++) {
            long from = oldBodyStart + spanStart[i];
            if (from + spanLength[i] > size) {
                throw new InvalidRecordException(bucket, baseOffset, "column buffers run past the batch end");
            }
            ByteBuffer dst = ByteBuffer.wrap(out, newBodyStart + (int) newSpanStart[i], (int) spanLength[i]);
            source.readFully((int) from, dst);
        }
        output.putInt(LENGTH_OFFSET, out.length - LOG_OVERHEAD);
        output.putInt(CRC_OFFSET, (int) Crc32C.compute(output, CRC_START, out.length - CRC_START));
        return MemoryLogRecords.readableRecords(output.clear());
    }

    private ByteBuffer buildMetadata(
            ArrowMessage message, RecordBatch source, long[] spanStart, long[] newSpanStart, long newBodyLength) {
        FlatBufferBuilder fb = new FlatBufferBuilder(256 + 48 * columns.length);
        int selectedNodes = 0;
        int selectedBuffers = 0;
        for (int c : columns) {
            selectedNodes += nodeCount[c];
            selectedBuffers += bufferCount[c];
        }
        // Flatbuffer vectors are built back to front.
        FieldNode node = new FieldNode();
        RecordBatch.startNodesVector(fb, selectedNodes);
        for (int i = columns.length - 1; i >= 0; i--) {
            int c = columns[i];
            for (int n = nodeStart[c] + nodeCount[c] - 1; n >= nodeStart[c]; n--) {
                source.nodes(node, n);
                FieldNode.createFieldNode(fb, node.length(), node.nullCount());
            }
        }
        int nodesVector = fb.endVector();
        Buffer buffer = new Buffer();
        RecordBatch.startBuffersVector(fb, selectedBuffers);
        for (int i = columns.length - 1; i >= 0; i--) {
            int c = columns[i];
            long delta = newSpanStart[i] - spanStart[i];
            for (int b = bufferStart[c] + bufferCount[c] - 1; b >= bufferStart[c]; b--) {
                source.buffers(buffer, b);
                Buffer.createBuffer(fb, buffer.offset() + delta, buffer.length());
            }
        }
        int buffersVector = fb.endVector();
        BodyCompression compression = source.compression();
        int compressionTable = compression == null
                ? 0
                : BodyCompression.createBodyCompression(fb, compression.codec(), compression.method());
        int recordBatch = RecordBatch.createRecordBatch(fb, source.length(), nodesVector, buffersVector, compressionTable, 0);
        int root = Message.createMessage(
                fb, message.message.version(), MessageHeader.RecordBatch, recordBatch, newBodyLength, 0);
        fb.finish(root);
        ByteBuffer bytes = fb.dataBuffer();
        int padding = (int) (align8(bytes.remaining()) - bytes.remaining());
        ByteBuffer padded = ByteBuffer.allocate(bytes.remaining() + padding);
        padded.put(bytes).position(0);
        return padded;
    }

    private int checkedEnd(long baseOffset, long end, int size) {
        if (end > size) {
            throw new InvalidRecordException(bucket, baseOffset, "Arrow metadata ends at byte " + end
                    + ", past the batch end " + size);
        }
        return (int) end;
    }

    private static ByteBuffer read(ByteSource source, int position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(position, buffer);
        return buffer.flip();
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    private static int countNodes(Field field) {
        int n = 1;
        for (Field child : field.getChildren()) {
            n += countNodes(child);
        }
        return n;
    }

    private static int countBuffers(Field field) {
        int n = TypeLayout.getTypeBufferCount(field.getType());
        for (Field child : field.getChildren()) {
            n += countBuffers(child);
        }
        return n;
    }
}

package io.thermocline.common.internal.record;

import io.thermocline.common.internal.arrow.ArrowColumnarRow;
import io.thermocline.common.internal.arrow.ArrowTypes;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaLookup;
import io.thermocline.common.types.RowType;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes batches written with any schema of one table as rows of the reader's schema. Schemas
 * only grow by columns added at the end, so a batch of an older schema lacks the reader's last
 * columns (they read as null) and a batch of a newer one has extra columns (they are dropped).
 *
 * <p>With a projection, batches arrive already projected by the server to the wanted columns
 * their schema has, in the projection's order (see {@link SchemaProjection}). A batch of the
 * reader's own schema costs nothing extra; others reuse a decoder per schema id. A
 * {@link ColumnarBatch} is valid until the next read. Not thread-safe.
 */
public final class SchemaEvolvingReader implements AutoCloseable {
    private final TableBucket bucket;
    private final SchemaLookup schemas;
    private final Schema schema;
    private final int[] projection;
    private final RowType rowType;
    private final List<Field> fields;
    private final BufferAllocator allocator;
    private final Map<Integer, Decoder> decoders = new HashMap<>();

    /**
     * @param bucket named in errors; may be null
     * @param schema the reader's schema
     * @param projection indexes of the columns of {@code schema} to read, in order, as the
     *     server projected them; null for whole batches and all columns
     */
    public SchemaEvolvingReader(TableBucket bucket, SchemaLookup schemas, Schema schema, int[] projection,
            BufferAllocator allocator) {
        this.bucket = bucket;
        this.schemas = schemas;
        this.schema = schema;
        this.projection = projection == null ? null : projection.clone();
        this.rowType = projection == null ? schema.rowType() : schema.rowType().project(projection);
        this.fields = ArrowTypes.toArrowSchema(rowType).getFields();
        this.allocator = allocator;
    }

    /** The type of the rows read: the reader's schema, projected. */
    public RowType rowType() {
        return rowType;
    }

    public Schema schema() {
        return schema;
    }

    public ColumnarBatch read(LogRecordBatch batch) {
        Decoder decoder = decoders.get(batch.schemaId());
        if (decoder == null) {
            decoder = decoder(schemas.schema(batch.schemaId()));
            decoders.put(batch.schemaId(), decoder);
        }
        return decoder.read(batch);
    }

    private Decoder decoder(Schema written) {
        int writtenColumns = written.columnCount();
        // Which of the reader's columns the batch holds, and at which position.
        int wanted = rowType.fieldCount();
        int[] source = new int[wanted];
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < wanted; i++) {
            int column = projection == null ? i : projection[i];
            if (column < writtenColumns) {
                source[i] = projection == null ? column : sent.size();
                sent.add(column);
            } else {
                source[i] = -1;
            }
        }
        RowType batchType = projection == null ? written.rowType()
                : written.rowType().project(sent.stream().mapToInt(Integer::intValue).toArray());
        return new Decoder(new LogRecordReader(bucket, batchType, allocator), source);
    }

    @Override
    public void close() {
        decoders.values().forEach(Decoder::close);
        decoders.clear();
    }

    /** Decodes batches of one written schema; columns they lack are all-null vectors of their own. */
    private final class Decoder implements AutoCloseable {
        private final LogRecordReader reader;
        /** Null when the decoded vectors are the reader's columns exactly. */
        private final VectorSchemaRoot root;
        private final ArrowColumnarRow row;
        private final List<FieldVector> nullColumns = new ArrayList<>();

        Decoder(LogRecordReader reader, int[] source) {
            this.reader = reader;
            List<FieldVector> decoded = reader.vectors().getFieldVectors();
            boolean identity = decoded.size() == source.length;
            for (int i = 0; i < source.length && identity; i++) {
                identity = source[i] == i;
            }
            if (identity) {
                this.root = null;
                this.row = null;
                return;
            }
            List<FieldVector> vectors = new ArrayList<>(source.length);
            for (int i = 0; i < source.length; i++) {
                if (source[i] >= 0) {
                    vectors.add(decoded.get(source[i]));
                } else {
                    FieldVector empty = fields.get(i).createVector(allocator);
                    nullColumns.add(empty);
                    vectors.add(empty);
                }
            }
            this.root = new VectorSchemaRoot(vectors);
            this.row = new ArrowColumnarRow(root);
        }

        ColumnarBatch read(LogRecordBatch batch) {
            ColumnarBatch decoded = reader.read(batch);
            if (root == null) {
                return decoded;
            }
            int rows = decoded.recordCount();
            for (FieldVector column : nullColumns) {
                column.clear();
                column.setInitialCapacity(rows);
                column.allocateNew(); // validity bits start cleared: every value null
                column.setValueCount(rows);
            }
            root.setRowCount(rows);
            return new ColumnarBatch(batch, root, row);
        }

        @Override
        public void close() {
            nullColumns.forEach(FieldVector::close);
            reader.close();
        }
    }
}

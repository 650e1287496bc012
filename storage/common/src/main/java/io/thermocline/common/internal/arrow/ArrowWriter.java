package io.thermocline.common.internal.arrow;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.RowType;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes rows into a reusable {@link VectorSchemaRoot}: vectors keep their capacity across
 * batches, so a steady writer allocates nothing per batch. Not thread-safe.
 */
public final class ArrowWriter implements AutoCloseable {
    private final RowType rowType;
    private final VectorSchemaRoot root;
    private final FieldVector[] vectors;
    private final ArrowFieldWriter[] writers;
    private final boolean[] nullable;
    /** Fixed bytes per row incl. validity bits and offsets, for a cheap size estimate. */
    private final double fixedBytesPerRow;
    private long variableBytes;
    private int rowCount;

    public ArrowWriter(RowType rowType, BufferAllocator allocator) {
        this.rowType = rowType;
        this.root = VectorSchemaRoot.create(ArrowTypes.toArrowSchema(rowType), allocator);
        int n = rowType.fieldCount();
        this.vectors = new FieldVector[n];
        this.writers = new ArrowFieldWriter[n];
        this.nullable = new boolean[n];
        double fixed = 0;
        for (int i = 0; i < n; i++) {
            DataType type = rowType.typeAt(i);
            vectors[i] = root.getVector(i);
            writers[i] = ArrowFieldWriter.create(type, vectors[i]);
            nullable[i] = type.isNullable();
            fixed += 1.0 / 8;
            if (vectors[i] instanceof BitVector) {
                fixed += 1.0 / 8;
            } else if (vectors[i] instanceof BaseFixedWidthVector) {
                fixed += ((BaseFixedWidthVector) vectors[i]).getTypeWidth();
            } else {
                fixed += 4; // one offset per row
            }
        }
        this.fixedBytesPerRow = fixed;
    }

    /**
     * Appends a row. A value that does not fit its column (null in a NOT NULL column, a decimal
     * too wide) throws {@link SchemaException} naming the column; the row is then not counted and
     * the next write overwrites its partial values.
     */
    public void write(InternalRow row) {
        if (row.fieldCount() != writers.length) {
            throw new SchemaException(
                    "Row has " + row.fieldCount() + " fields but the schema has " + writers.length + ": " + rowType);
        }
        long added = 0;
        for (int pos = 0; pos < writers.length; pos++) {
            if (row.isNullAt(pos)) {
                if (!nullable[pos]) {
                    throw new SchemaException(
                            "Column `" + rowType.fields().get(pos).name() + "` is NOT NULL but the row has null for it");
                }
                setNull(pos);
            } else {
                try {
                    added += writers[pos].write(rowCount, row, pos);
                } catch (ArithmeticException | UnsupportedOperationException | ClassCastException e) {
                    throw new SchemaException(
                            "Value of column `" + rowType.fields().get(pos).name() + "` does not fit type "
                                    + rowType.typeAt(pos) + ": " + e.getMessage());
                }
            }
        }
        variableBytes += added;
        rowCount++;
    }

    private void setNull(int pos) {
        FieldVector vector = vectors[pos];
        // setNull grows the validity buffer when needed; a variable-width vector fills the
        // offset hole on the next write or when the row count is set.
        while (rowCount >= vector.getValueCapacity()) {
            vector.reAlloc();
        }
        vector.setNull(rowCount);
    }

    public int rowCount() {
        return rowCount;
    }

    /** An estimate of the Arrow body size of the rows written so far, before compression. */
    public long estimatedSizeInBytes() {
        return (long) (rowCount * fixedBytesPerRow) + variableBytes;
    }

    /** Fixes the row count on all vectors and returns the root; valid until {@link #reset()}. */
    public VectorSchemaRoot finish() {
        root.setRowCount(rowCount);
        return root;
    }

    /** Forgets the rows written, keeping the vectors' memory for the next batch. */
    public void reset() {
        for (FieldVector vector : vectors) {
            vector.reset();
        }
        root.setRowCount(0);
        rowCount = 0;
        variableBytes = 0;
    }

    public RowType rowType() {
        return rowType;
    }

    @Override
    public void close() {
        root.close();
    }
}

package io.thermocline.common.internal.record;

import io.thermocline.common.internal.arrow.ArrowColumnarRow;
import io.thermocline.common.row.InternalRow;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A decoded batch: Arrow vectors plus the header facts each row needs (offset, change type,
 * timestamp). A view, valid until its reader reads the next batch.
 */
public final class ColumnarBatch {
    private final LogRecordBatch batch;
    private final VectorSchemaRoot root;
    private final ArrowColumnarRow row;
    private final long baseOffset;

    ColumnarBatch(LogRecordBatch batch, VectorSchemaRoot root, ArrowColumnarRow row) {
        this.batch = batch;
        this.root = root;
        this.row = row;
        this.baseOffset = batch.baseOffset();
    }

    public int recordCount() {
        return root.getRowCount();
    }

    public long offset(int rowId) {
        return baseOffset + rowId;
    }

    public ChangeType changeType(int rowId) {
        return batch.changeType(rowId);
    }

    public long commitTimestamp() {
        return batch.commitTimestamp();
    }

    /** The row view moved to {@code rowId}; the same object is returned for every row. */
    public InternalRow row(int rowId) {
        return row.setRowId(rowId);
    }

    public VectorSchemaRoot vectors() {
        return root;
    }
}

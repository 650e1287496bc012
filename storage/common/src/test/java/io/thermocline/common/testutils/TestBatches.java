package io.thermocline.common.testutils;

import io.thermocline.common.internal.record.ChangeType;
import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchBuilder;
import io.thermocline.common.internal.record.LogRecordReader;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.types.RowType;

import org.apache.arrow.memory.BufferAllocator;

import java.util.ArrayList;
import java.util.List;

/** Builds and decodes batches in tests. */
public final class TestBatches {
    private TestBatches() {}

    public static MemoryLogRecords appendOnly(
            RowType rowType, int schemaId, LogCompression compression, List<? extends InternalRow> rows,
            BufferAllocator allocator) {
        try (LogRecordBatchBuilder builder =
                new LogRecordBatchBuilder(rowType, schemaId, compression, false, Integer.MAX_VALUE, allocator)) {
            for (InternalRow row : rows) {
                builder.tryAppend(row);
            }
            return builder.build();
        }
    }

    /** Decodes every row of the batch into detached rows. */
    public static List<GenericRow> decode(LogRecordBatch batch, RowType rowType, BufferAllocator allocator) {
        try (LogRecordReader reader = new LogRecordReader(null, rowType, allocator)) {
            return decode(reader.read(batch), rowType);
        }
    }

    public static List<GenericRow> decode(ColumnarBatch columnar, RowType rowType) {
        List<GenericRow> rows = new ArrayList<>(columnar.recordCount());
        for (int i = 0; i < columnar.recordCount(); i++) {
            rows.add(GenericRow.copyOf(columnar.row(i), rowType));
        }
        return rows;
    }

    public static List<ChangeType> changeTypes(ColumnarBatch columnar) {
        List<ChangeType> types = new ArrayList<>();
        for (int i = 0; i < columnar.recordCount(); i++) {
            types.add(columnar.changeType(i));
        }
        return types;
    }
}

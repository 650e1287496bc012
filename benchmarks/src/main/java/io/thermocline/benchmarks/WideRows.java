package io.thermocline.benchmarks;

import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatchBuilder;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.RowType;

import org.apache.arrow.memory.BufferAllocator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark workload: rows of about 1 KiB in 20 columns (4 BIGINT, 4 INT, 2 DOUBLE and 10
 * STRING of 90 characters), as in the targets.
 */
final class WideRows {
    static final RowType ROW_TYPE;
    static final int STRING_LENGTH = 90;

    static {
        List<DataField> fields = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            DataType type = i < 4 ? DataTypes.BIGINT() : i < 8 ? DataTypes.INT() : i < 10 ? DataTypes.DOUBLE()
                    : DataTypes.STRING();
            fields.add(new DataField("c" + i, type));
        }
        ROW_TYPE = new RowType(fields, false);
    }

    private WideRows() {}

    static List<GenericRow> rows(int count, long seed) {
        Random random = new Random(seed);
        List<GenericRow> rows = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            GenericRow row = new GenericRow(20);
            for (int i = 0; i < 20; i++) {
                if (i < 4) {
                    row.setField(i, random.nextLong());
                } else if (i < 8) {
                    row.setField(i, random.nextInt());
                } else if (i < 10) {
                    row.setField(i, random.nextDouble());
                } else {
                    char[] chars = new char[STRING_LENGTH];
                    for (int c = 0; c < chars.length; c++) {
                        chars[c] = (char) ('a' + random.nextInt(26));
                    }
                    row.setField(i, BinaryString.fromString(new String(chars)));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /** One batch of the given rows. */
    static MemoryLogRecords batch(List<GenericRow> rows, LogCompression compression, BufferAllocator allocator) {
        try (LogRecordBatchBuilder builder =
                new LogRecordBatchBuilder(ROW_TYPE, 1, compression, false, Integer.MAX_VALUE, allocator)) {
            rows.forEach(builder::tryAppend);
            return builder.build();
        }
    }
}

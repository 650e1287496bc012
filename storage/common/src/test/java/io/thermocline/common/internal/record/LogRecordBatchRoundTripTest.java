package io.thermocline.common.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.testutils.ArrowTestBase;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.testutils.RandomRows;
import io.thermocline.common.testutils.TestBatches;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.RowType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

class LogRecordBatchRoundTripTest extends ArrowTestBase {



    @ParameterizedTest
    @EnumSource(LogCompression.class)
    void everyTypeWithNullsRoundTrips(LogCompression compression) {
        RowType rowType = RandomRows.allTypes();
        RandomRows random = new RandomRows(42);
        List<GenericRow> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(random.randomRow(rowType, 20));
        }
        MemoryLogRecords records = TestBatches.appendOnly(rowType, 7, compression, rows, allocator);

        LogRecordBatch batch = single(records);
        batch.ensureValid(new TableBucket(1, 0), 0);
        assertThat(batch.recordCount()).isEqualTo(500);
        assertThat(batch.lastOffsetDelta()).isEqualTo(499);
        assertThat(batch.schemaId()).isEqualTo(7);
        assertThat(batch.compression()).isEqualTo(compression);
        assertThat(batch.isChangelog()).isFalse();
        assertThat(batch.sizeInBytes()).isEqualTo(records.sizeInBytes());
        assertThat(TestBatches.decode(batch, rowType, allocator)).isEqualTo(rows);
    }

    @Test
    void compressionShrinksRepetitiveData() {
        RowType rowType = DataTypes.ROW(DataTypes.FIELD("s", DataTypes.STRING()), DataTypes.FIELD("l", DataTypes.BIGINT()));
        List<GenericRow> rows = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            rows.add(GenericRow.of("the same text over and over again " + (i % 3), (long) (i % 5)));
        }
        int plain = TestBatches.appendOnly(rowType, 1, LogCompression.NONE, rows, allocator).sizeInBytes();
        int lz4 = TestBatches.appendOnly(rowType, 1, LogCompression.LZ4_FRAME, rows, allocator).sizeInBytes();
        int zstd = TestBatches.appendOnly(rowType, 1, LogCompression.ZSTD, rows, allocator).sizeInBytes();
        assertThat(lz4).isLessThan(plain / 4);
        assertThat(zstd).isLessThan(plain / 4);
    }

    @Test
    void changelogBatchKeepsChangeTypesAndWriterState() {
        RowType rowType = DataTypes.ROW(
                DataTypes.FIELD("id", DataTypes.INT().notNull()), DataTypes.FIELD("name", DataTypes.STRING()));
        List<ChangeType> types = List.of(ChangeType.INSERT, ChangeType.UPDATE_BEFORE, ChangeType.UPDATE_AFTER, ChangeType.DELETE);
        try (LogRecordBatchBuilder builder =
                        new LogRecordBatchBuilder(rowType, 3, LogCompression.ZSTD, true, 1 << 20, allocator);
                LogRecordReader reader = new LogRecordReader(null, rowType, allocator)) {
            builder.setWriterState(99L, 12);
            for (int i = 0; i < 400; i++) {
                assertThat(builder.tryAppend(types.get(i % 4), GenericRow.of(i, "n" + i))).isTrue();
            }
            LogRecordBatch batch = single(builder.build());
            assertThat(batch.isChangelog()).isTrue();
            assertThat(batch.writerId()).isEqualTo(99L);
            assertThat(batch.batchSequence()).isEqualTo(12);
            assertThat(batch.commitTimestamp()).isEqualTo(LogRecordBatchFormat.NO_TIMESTAMP);
            ColumnarBatch columnar = reader.read(batch);
            List<ChangeType> read = TestBatches.changeTypes(columnar);
            for (int i = 0; i < 400; i++) {
                assertThat(read.get(i)).isEqualTo(types.get(i % 4));
                assertThat(columnar.row(i).getInt(0)).isEqualTo(i);
                assertThat(columnar.row(i).getString(1).toString()).isEqualTo("n" + i);
            }
        }
    }

    @Test
    void builderIsReusedAcrossBatchesAndRespectsItsLimit() {
        RowType rowType = DataTypes.ROW(DataTypes.FIELD("s", DataTypes.STRING()));
        RandomRows random = new RandomRows(1);
        try (LogRecordBatchBuilder builder =
                new LogRecordBatchBuilder(rowType, 1, LogCompression.NONE, false, 16 * 1024, allocator)) {
            for (int round = 0; round < 5; round++) {
                List<GenericRow> rows = new ArrayList<>();
                GenericRow row = GenericRow.of(random.randomString(100));
                while (builder.tryAppend(row)) {
                    rows.add(row);
                    row = GenericRow.of(random.randomString(100));
                }
                assertThat(builder.isFull()).isTrue();
                LogRecordBatch batch = single(builder.build());
                assertThat(batch.sizeInBytes()).isBetween(12 * 1024, 17 * 1024);
                assertThat(TestBatches.decode(batch, rowType, allocator)).isEqualTo(rows);
                assertThat(builder.isEmpty()).isTrue();
            }
        }
    }

    @Test
    void valuesThatDoNotFitNameTheColumnAndLeaveTheBatchIntact() {
        RowType rowType = DataTypes.ROW(
                DataTypes.FIELD("id", DataTypes.INT().notNull()), DataTypes.FIELD("price", DataTypes.DECIMAL(5, 2)));
        try (LogRecordBatchBuilder builder =
                new LogRecordBatchBuilder(rowType, 1, LogCompression.NONE, false, 1 << 20, allocator)) {
            builder.tryAppend(GenericRow.of(1, new BigDecimal("1.50")));
            assertThatThrownBy(() -> builder.tryAppend(GenericRow.of(null, new BigDecimal("1.00"))))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("`id`")
                    .hasMessageContaining("NOT NULL");
            assertThatThrownBy(() -> builder.tryAppend(GenericRow.of(2, new BigDecimal("1.005"))))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("`price`")
                    .hasMessageContaining("DECIMAL(5, 2)");
            assertThatThrownBy(() -> builder.tryAppend(GenericRow.of(3, new BigDecimal("12345.6"))))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("`price`");
            assertThatThrownBy(() -> builder.tryAppend(GenericRow.of(4)))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining("1 fields");
            builder.tryAppend(GenericRow.of(5, new BigDecimal("2.5")));
            LogRecordBatch batch = single(builder.build());
            assertThat(TestBatches.decode(batch, rowType, allocator))
                    .containsExactly(GenericRow.of(1, new BigDecimal("1.50")), GenericRow.of(5, new BigDecimal("2.50")));
        }
    }

    @Test
    void nestedTypesAreRefusedWithTheColumnNamed() {
        RowType rowType = DataTypes.ROW(DataTypes.FIELD("tags", DataTypes.ARRAY(DataTypes.STRING())));
        assertThatThrownBy(() -> new LogRecordBatchBuilder(rowType, 1, LogCompression.NONE, false, 1024, allocator))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("`tags`")
                .hasMessageContaining("ARRAY<STRING>");
    }

    static LogRecordBatch single(MemoryLogRecords records) {
        Iterator<LogRecordBatch> it = records.batches().iterator();
        LogRecordBatch batch = it.next();
        assertThat(it.hasNext()).isFalse();
        return batch;
    }
}

package io.thermocline.common.internal.record;

import static io.thermocline.common.internal.record.LogRecordBatchRoundTripTest.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.testutils.ArrowTestBase;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.testutils.RandomRows;
import io.thermocline.common.testutils.TestBatches;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.RowType;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

class BatchProjectionTest extends ArrowTestBase {
    private static final TableBucket BUCKET = new TableBucket(5, 2);



    /** Property: projecting equals decoding everything and then selecting, for random schemas. */
    @Test
    void projectionEqualsDecodeThenSelectForRandomSchemas() {
        for (long seed = 0; seed < 200; seed++) {
            RandomRows random = new RandomRows(seed);
            RowType rowType = random.randomRowType(1 + random.random().nextInt(25));
            LogCompression compression = LogCompression.values()[(int) (seed % 3)];
            boolean changelog = seed % 2 == 0;
            int rowCount = seed % 10 == 9 ? 0 : 1 + random.random().nextInt(300); // 0: a no-op marker
            List<GenericRow> rows = new ArrayList<>();
            MemoryLogRecords records;
            try (LogRecordBatchBuilder builder =
                    new LogRecordBatchBuilder(rowType, 3, compression, changelog, Integer.MAX_VALUE, allocator)) {
                builder.setWriterState(seed, (int) seed);
                for (int i = 0; i < rowCount; i++) {
                    GenericRow row = random.randomRow(rowType, 15);
                    rows.add(row);
                    ChangeType type = changelog ? ChangeType.values()[i % 4] : ChangeType.INSERT;
                    builder.tryAppend(type, row);
                }
                records = rowCount == 0 ? builder.buildNoOpMarker() : builder.build();
            }
            LogRecordBatch batch = single(records);
            batch.setBaseOffset(1000 + seed);
            int[] columns = randomColumns(random, rowType.fieldCount());
            BatchProjection projection = new BatchProjection(rowType, columns, BUCKET);

            LogRecordBatch projected = single(projection.project(batch));

            String context = "seed " + seed + ", columns " + java.util.Arrays.toString(columns) + ", " + rowType;
            projected.ensureValid(BUCKET, projected.baseOffset());
            assertThat(projected.baseOffset()).as(context).isEqualTo(1000 + seed);
            assertThat(projected.recordCount()).as(context).isEqualTo(rowCount);
            assertThat(projected.nextOffset()).as(context).isEqualTo(batch.nextOffset());
            assertThat(projected.writerId()).as(context).isEqualTo(seed);
            assertThat(projected.schemaId()).as(context).isEqualTo(3);
            assertThat(projected.isChangelog()).as(context).isEqualTo(changelog);
            List<GenericRow> expected = rows.stream().map(r -> select(r, columns)).collect(Collectors.toList());
            try (LogRecordReader reader = new LogRecordReader(BUCKET, projection.projectedRowType(), allocator)) {
                ColumnarBatch decoded = reader.read(projected);
                assertThat(TestBatches.decode(decoded, projection.projectedRowType())).as(context).isEqualTo(expected);
                for (int i = 0; i < rowCount; i++) {
                    assertThat(decoded.changeType(i)).isEqualTo(batch.changeType(i));
                }
            }
        }
    }

    @Test
    void twoOfTwentyColumnsMoveAboutATenthOfTheBytes() {
        List<io.thermocline.common.types.DataField> fields = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fields.add(DataTypes.FIELD("s" + i, DataTypes.STRING()));
        }
        RowType rowType = new RowType(fields, false);
        RandomRows random = new RandomRows(7);
        List<GenericRow> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            GenericRow row = new GenericRow(20);
            for (int c = 0; c < 20; c++) {
                row.setField(c, io.thermocline.common.row.BinaryString.fromString(random.randomString(50)));
            }
            rows.add(row);
        }
        LogRecordBatch batch = single(TestBatches.appendOnly(rowType, 1, LogCompression.NONE, rows, allocator));
        LogRecordBatch projected = single(new BatchProjection(rowType, new int[] {3, 17}, BUCKET).project(batch));
        double ratio = (double) projected.sizeInBytes() / batch.sizeInBytes();
        assertThat(ratio).isBetween(0.08, 0.12);
    }

    @Test
    void badProjectionsAreRefused() {
        RowType rowType = DataTypes.ROW(DataTypes.FIELD("a", DataTypes.INT()), DataTypes.FIELD("b", DataTypes.INT()));
        io.thermocline.common.schema.Schema schema = io.thermocline.common.schema.Schema.builder()
                .fromFields(rowType.fields()).build();
        assertThatThrownBy(() -> new SchemaProjection(io.thermocline.common.schema.SchemaLookup.of(schema), schema,
                new int[0], BUCKET)).isInstanceOf(SchemaException.class).hasMessageContaining("at least one column");
        assertThatThrownBy(() -> new BatchProjection(rowType, new int[] {2}, BUCKET))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("index 2");
        assertThatThrownBy(() -> new BatchProjection(rowType, new int[] {1, 1}, BUCKET))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void batchOfAnotherSchemaIsRefusedNamingBucketAndOffset() {
        RowType written = DataTypes.ROW(DataTypes.FIELD("a", DataTypes.INT()));
        RowType assumed = DataTypes.ROW(DataTypes.FIELD("a", DataTypes.INT()), DataTypes.FIELD("b", DataTypes.INT()));
        LogRecordBatch batch = single(TestBatches.appendOnly(
                written, 1, LogCompression.NONE, List.of(GenericRow.of(1)), allocator));
        batch.setBaseOffset(77);
        assertThatThrownBy(() -> new BatchProjection(assumed, new int[] {0}, BUCKET).project(batch))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining(BUCKET.toString())
                .hasMessageContaining("offset 77");
        try (LogRecordReader reader = new LogRecordReader(BUCKET, assumed, allocator)) {
            assertThatThrownBy(() -> reader.read(batch))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("offset 77")
                    .hasMessageContaining("1 columns");
        }
    }

    private static int[] randomColumns(RandomRows random, int fieldCount) {
        List<Integer> all = IntStream.range(0, fieldCount).boxed().collect(Collectors.toList());
        Collections.shuffle(all, random.random());
        int k = 1 + random.random().nextInt(fieldCount);
        return all.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
    }

    private static GenericRow select(GenericRow row, int[] columns) {
        GenericRow selected = new GenericRow(columns.length);
        for (int i = 0; i < columns.length; i++) {
            selected.setField(i, row.getField(columns[i]));
        }
        return selected;
    }
}

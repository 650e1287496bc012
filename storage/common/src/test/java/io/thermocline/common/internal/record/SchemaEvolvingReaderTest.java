package io.thermocline.common.internal.record;

import static io.thermocline.common.internal.record.LogRecordBatchRoundTripTest.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.internal.kv.ValueEncoder;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaLookup;
import io.thermocline.common.testutils.ArrowTestBase;
import io.thermocline.common.testutils.RandomRows;
import io.thermocline.common.testutils.TestBatches;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.RowType;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/** Batches and values written under one schema of a table, read under another. */
class SchemaEvolvingReaderTest extends ArrowTestBase {
    private static final TableBucket BUCKET = new TableBucket(9, 0);

    /**
     * Property: for random schema histories, every batch read under every schema (whole or
     * projected by the server) gives the written values of the columns it had and null for the
     * columns added after it.
     */
    @Test
    void everyBatchReadsUnderEverySchema() {
        for (long seed = 0; seed < 60; seed++) {
            RandomRows random = new RandomRows(seed);
            Map<Integer, Schema> history = history(random);
            SchemaLookup lookup = id -> {
                Schema schema = history.get(id);
                if (schema == null) {
                    throw new SchemaException("no schema " + id);
                }
                return schema;
            };
            Schema latest = history.get(history.size());
            for (Schema written : history.values()) {
                LogCompression compression = LogCompression.values()[(int) (seed % 3)];
                List<GenericRow> rows = new ArrayList<>();
                for (int i = 0; i < 1 + random.random().nextInt(40); i++) {
                    rows.add(random.randomRow(written.rowType(), 20));
                }
                LogRecordBatch batch = single(TestBatches.appendOnly(written.rowType(), written.schemaId(), compression,
                        rows, allocator));
                for (Schema reading : history.values()) {
                    String context = "seed " + seed + ": schema " + written.schemaId() + " read as " + reading.schemaId();
                    try (SchemaEvolvingReader reader = new SchemaEvolvingReader(BUCKET, lookup, reading, null, allocator)) {
                        assertThat(TestBatches.decode(reader.read(batch), reader.rowType())).as(context)
                                .isEqualTo(expected(rows, written, allColumns(reading)));
                    }
                    int[] columns = randomColumns(random, reading.columnCount());
                    LogRecordBatch projected = single(new SchemaProjection(lookup, latest, columns, BUCKET)
                            .forSchema(written.schemaId()).project(batch));
                    try (SchemaEvolvingReader reader = new SchemaEvolvingReader(BUCKET, lookup, reading, columns,
                            allocator)) {
                        assertThat(TestBatches.decode(reader.read(projected), reader.rowType()))
                                .as(context + ", columns " + Arrays.toString(columns))
                                .isEqualTo(expected(rows, written, columns));
                    }
                }
            }
        }
    }

    @Test
    void projectionOfOnlyNewColumnsKeepsTheRowCountOfOlderBatches() {
        Schema v1 = Schema.builder().column("id", DataTypes.INT()).build();
        Schema v2 = v1.addColumn("note", DataTypes.STRING(), null);
        SchemaLookup lookup = id -> id == 1 ? v1 : v2;
        LogRecordBatch batch = single(TestBatches.appendOnly(v1.rowType(), 1, LogCompression.NONE,
                List.of(GenericRow.of(1), GenericRow.of(2)), allocator));
        LogRecordBatch projected = single(new SchemaProjection(lookup, v2, new int[] {1}, BUCKET).forSchema(1)
                .project(batch));
        projected.ensureValid(BUCKET, projected.baseOffset());
        try (SchemaEvolvingReader reader = new SchemaEvolvingReader(BUCKET, lookup, v2, new int[] {1}, allocator)) {
            assertThat(TestBatches.decode(reader.read(projected), reader.rowType()))
                    .containsExactly(GenericRow.of((Object) null), GenericRow.of((Object) null));
        }
    }

    @Test
    void aBatchOfAnUnknownSchemaIsATypedError() {
        Schema v1 = Schema.builder().column("id", DataTypes.INT()).build();
        LogRecordBatch batch = single(TestBatches.appendOnly(v1.rowType(), 7, LogCompression.NONE,
                List.of(GenericRow.of(1)), allocator));
        try (SchemaEvolvingReader reader = new SchemaEvolvingReader(BUCKET, SchemaLookup.of(v1), v1, null, allocator)) {
            assertThatThrownBy(() -> reader.read(batch)).isInstanceOf(SchemaException.class)
                    .hasMessageContaining("schema 7");
        }
    }

    @Test
    void valuesOfOtherSchemasDecodePaddedOrCut() {
        Schema v1 = Schema.builder().column("id", DataTypes.INT()).column("name", DataTypes.STRING()).primaryKey("id")
                .build();
        Schema v2 = v1.addColumns(List.of(new DataField("a", DataTypes.BIGINT()), new DataField("b", DataTypes.DOUBLE())));
        SchemaLookup lookup = id -> id == 1 ? v1 : v2;
        byte[] old = new ValueEncoder(v1.rowType(), 1).encode(GenericRow.of(1, io.thermocline.common.row.BinaryString
                .fromString("x")));
        byte[] fresh = new ValueEncoder(v2.rowType(), 2).encode(GenericRow.of(2, null, 5L, 1.5));

        assertThat(ValueEncoder.decode(old, lookup, v2.rowType()))
                .isEqualTo(GenericRow.of(1, io.thermocline.common.row.BinaryString.fromString("x"), null, null));
        assertThat(ValueEncoder.decode(fresh, lookup, v1.rowType())).isEqualTo(GenericRow.of(2, null));
        assertThat(ValueEncoder.decode(fresh, lookup, v2.rowType())).isEqualTo(GenericRow.of(2, null, 5L, 1.5));
    }

    /** Schema 1 random, then one to three ALTERs adding one to three nullable columns each. */
    private static Map<Integer, Schema> history(RandomRows random) {
        Map<Integer, Schema> history = new TreeMap<>();
        RowType first = random.randomRowType(1 + random.random().nextInt(8));
        Schema schema = Schema.builder().fromFields(first.fields()).build();
        history.put(schema.schemaId(), schema);
        int alters = 1 + random.random().nextInt(3);
        for (int a = 0; a < alters; a++) {
            List<DataField> added = new ArrayList<>();
            for (int c = 0; c < 1 + random.random().nextInt(3); c++) {
                added.add(new DataField("a" + a + "_" + c, random.randomType().nullable()));
            }
            schema = schema.addColumns(added);
            history.put(schema.schemaId(), schema);
        }
        return history;
    }

    private static List<GenericRow> expected(List<GenericRow> rows, Schema written, int[] columns) {
        List<GenericRow> expected = new ArrayList<>();
        for (GenericRow row : rows) {
            GenericRow out = new GenericRow(columns.length);
            for (int i = 0; i < columns.length; i++) {
                out.setField(i, columns[i] < written.columnCount() ? row.getField(columns[i]) : null);
            }
            expected.add(out);
        }
        return expected;
    }

    private static int[] allColumns(Schema schema) {
        return IntStream.range(0, schema.columnCount()).toArray();
    }

    private static int[] randomColumns(RandomRows random, int count) {
        List<Integer> all = new ArrayList<>(IntStream.range(0, count).boxed().toList());
        java.util.Collections.shuffle(all, random.random());
        return all.subList(0, 1 + random.random().nextInt(count)).stream().mapToInt(Integer::intValue).toArray();
    }
}

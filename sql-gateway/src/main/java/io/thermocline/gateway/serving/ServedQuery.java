package io.thermocline.gateway.serving;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.FlinkTypes;
import io.thermocline.flink.RowConverter;

import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A query the gateway answers itself, as Flink's planner decided it: the KV lookups its filters
 * amount to (whole keys, or bucket-key prefixes), then the rest of the plan (projection and the
 * filters the lookups do not already ensure) run by the code Flink generates for it. The key
 * values are the only part that differs between executions of a prepared statement
 * ({@link #withKeyValues}). Not thread-safe: one statement runs it at a time.
 */
public final class ServedQuery implements ServedStatement {
    /** How the lookups reach the table. */
    public enum Kind { POINT, PREFIX }

    private final TablePath path;
    private final RowType rowType;
    private final int[] emitted;
    private final Kind kind;
    private final int[] keyColumns;
    /** Per key column, its values (Flink internal data, no duplicates); the keys are their combinations. */
    private final List<List<Object>> keyValues;
    private final GeneratedCalc calc;
    private final ResolvedSchema schema;
    private final Shared shared;

    /** What every copy of a query with other keys shares, made once. */
    private record Shared(String shape, RowConverter rows, RowConverter keys, List<LogicalType> keyTypes) {}

    ServedQuery(TablePath path, RowType rowType, int[] emitted, Kind kind, int[] keyColumns,
            List<List<Object>> keyValues, GeneratedCalc calc, ResolvedSchema schema) {
        this(path, rowType, emitted, kind, keyColumns, keyValues, calc, schema, new Shared(path + " " + kind + " "
                + java.util.Arrays.toString(keyColumns) + " emit " + java.util.Arrays.toString(emitted) + " "
                + (calc == null ? "" : calc.description()) + " " + schema, new RowConverter(rowType),
                new RowConverter(rowType.project(keyColumns)), java.util.Arrays.stream(keyColumns)
                        .mapToObj(c -> FlinkTypes.toFlink(rowType.typeAt(c))).toList()));
    }

    private ServedQuery(TablePath path, RowType rowType, int[] emitted, Kind kind, int[] keyColumns,
            List<List<Object>> keyValues, GeneratedCalc calc, ResolvedSchema schema, Shared shared) {
        this.path = path;
        this.rowType = rowType;
        this.emitted = emitted;
        this.kind = kind;
        this.keyColumns = keyColumns;
        this.keyValues = dedup(keyValues);
        this.calc = calc;
        this.schema = schema;
        this.shared = shared;
    }

    /** The same query for other key values (one list per key column). */
    ServedQuery withKeyValues(List<List<Object>> values) {
        return new ServedQuery(path, rowType, emitted, kind, keyColumns, values, calc, schema, shared);
    }

    @Override
    public ResolvedSchema schema() {
        return schema;
    }

    /** Everything but the key values: two plans of one shape differ only in what they look up. */
    String shape() {
        return shared.shape();
    }

    /** The Flink types of the key columns, in key order. */
    List<LogicalType> keyTypes() {
        return shared.keyTypes();
    }

    List<List<Object>> keyValues() {
        return keyValues;
    }

    /** How many lookups it makes. */
    int lookups() {
        int count = 1;
        for (List<Object> values : keyValues) {
            count *= values.size();
        }
        return count;
    }

    @Override
    public String describe() {
        String columns = java.util.Arrays.stream(keyColumns).mapToObj(i -> rowType.fieldNames().get(i))
                .collect(java.util.stream.Collectors.joining(", "));
        return (kind == Kind.POINT ? "point lookups of " + lookups() + " key" + (lookups() == 1 ? "" : "s")
                : "prefix lookups of " + lookups() + " bucket-key value" + (lookups() == 1 ? "" : "s"))
                + " (" + columns + ") in " + path + (calc == null ? "" : ", then " + calc.description());
    }

    /** Reads the rows: the lookups, then the rest of the plan on the rows found. */
    @Override
    public List<RowData> execute(ServingClient client) {
        List<GenericRow> found = new ArrayList<>();
        List<GenericRow> keys = keys();
        if (kind == Kind.POINT) {
            if (!keys.isEmpty()) {
                client.lookupAll(path, keys).forEach(row -> row.ifPresent(found::add));
            }
        } else {
            for (GenericRow prefix : keys) {
                found.addAll(client.prefixLookup(path, prefix));
            }
        }
        RowConverter rows = shared.rows();
        List<RowData> read = new ArrayList<>(found.size());
        for (GenericRow row : found) {
            read.add(emit(rows.toFlink(row)));
        }
        if (calc == null) {
            return read;
        }
        try {
            return calc.apply(read);
        } catch (Exception e) {
            throw new ServingException("Query of " + path + " failed on a row found: " + e.getMessage(), e);
        }
    }

    private RowData emit(GenericRowData row) {
        GenericRowData out = new GenericRowData(emitted.length);
        for (int i = 0; i < emitted.length; i++) {
            out.setField(i, row.getField(emitted[i]));
        }
        return out;
    }

    private List<GenericRow> keys() {
        List<GenericRow> keys = new ArrayList<>();
        combine(0, new Object[keyColumns.length], shared.keys(), keys);
        return keys;
    }

    private void combine(int column, Object[] key, RowConverter converter, List<GenericRow> keys) {
        if (column == key.length) {
            keys.add(converter.toThermocline(GenericRowData.of(key.clone())));
            return;
        }
        for (Object value : keyValues.get(column)) {
            key[column] = value;
            combine(column + 1, key, converter, keys);
        }
    }

    private static List<List<Object>> dedup(List<List<Object>> values) {
        List<List<Object>> out = new ArrayList<>(values.size());
        for (List<Object> column : values) {
            out.add(List.copyOf(new LinkedHashSet<>(column)));
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return describe();
    }
}

package io.thermocline.gateway.serving;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.FlinkTypes;
import io.thermocline.flink.RowConverter;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.functions.AbstractRichFunction;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.util.RuntimeUDFContext;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.generated.GeneratedFunction;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A query the gateway answers itself, as Flink's planner decided it: the KV lookups its filters
 * amount to (whole keys, or bucket-key prefixes), then the rest of the plan (projection and the
 * filters the lookups do not already ensure) run by the code Flink generates for it. The key
 * values are the only part that differs between executions of a prepared statement
 * ({@link #withKeyValues}). Not thread-safe: one statement runs it at a time.
 */
public final class ServedQuery {
    /** How the lookups reach the table. */
    public enum Kind { POINT, PREFIX }

    private final TablePath path;
    private final RowType rowType;
    private final int[] emitted;
    private final Kind kind;
    private final int[] keyColumns;
    /** Per key column, its values (Flink internal data, no duplicates); the keys are their combinations. */
    private final List<List<Object>> keyValues;
    private final Calc calc;
    private final ResolvedSchema schema;
    private final Shared shared;

    /**
     * The generated projection and filter over the rows read, opened once and kept for every
     * execution of the query and its copies with other keys.
     *
     * @param output the type of the rows it emits, to copy them (generated code reuses its output row)
     */
    record Calc(GeneratedFunction<FlatMapFunction<RowData, RowData>> function,
            org.apache.flink.table.types.logical.RowType output, String description, ClassLoader classLoader,
            Opened opened) {

        Calc(GeneratedFunction<FlatMapFunction<RowData, RowData>> function,
                org.apache.flink.table.types.logical.RowType output, String description, ClassLoader classLoader) {
            this(function, output, description, classLoader, new Opened());
        }

        /** Runs the generated code on the rows read; one caller at a time. */
        List<RowData> apply(List<RowData> rows) throws Exception {
            synchronized (opened) {
                if (opened.function == null) {
                    FlatMapFunction<RowData, RowData> instance = function.newInstance(classLoader);
                    if (instance instanceof AbstractRichFunction rich) {
                        // Generated code reads its class loader and settings from a runtime context.
                        rich.setRuntimeContext(new RuntimeUDFContext(new TaskInfoImpl("gateway", 1, 0, 1, 0),
                                classLoader, new ExecutionConfig(), Map.of(), new HashMap<>(),
                                UnregisteredMetricsGroup.createOperatorMetricGroup()));
                        rich.open(DefaultOpenContext.INSTANCE);
                    }
                    opened.function = instance;
                    opened.copier = new RowDataSerializer(output);
                }
                List<RowData> out = new ArrayList<>();
                Collector<RowData> collector = new Collector<>() {
                    @Override
                    public void collect(RowData row) {
                        out.add(opened.copier.copy(row));
                    }

                    @Override
                    public void close() {}
                };
                for (RowData row : rows) {
                    opened.function.flatMap(row, collector);
                }
                return out;
            }
        }
    }

    /** The generated code's instance, once opened. */
    private static final class Opened {
        FlatMapFunction<RowData, RowData> function;
        RowDataSerializer copier;
    }

    /** What every copy of a query with other keys shares, made once. */
    private record Shared(String shape, RowConverter rows, RowConverter keys, List<LogicalType> keyTypes) {}

    ServedQuery(TablePath path, RowType rowType, int[] emitted, Kind kind, int[] keyColumns,
            List<List<Object>> keyValues, Calc calc, ResolvedSchema schema) {
        this(path, rowType, emitted, kind, keyColumns, keyValues, calc, schema, new Shared(path + " " + kind + " "
                + java.util.Arrays.toString(keyColumns) + " emit " + java.util.Arrays.toString(emitted) + " "
                + (calc == null ? "" : calc.description()) + " " + schema, new RowConverter(rowType),
                new RowConverter(rowType.project(keyColumns)), java.util.Arrays.stream(keyColumns)
                        .mapToObj(c -> FlinkTypes.toFlink(rowType.typeAt(c))).toList()));
    }

    private ServedQuery(TablePath path, RowType rowType, int[] emitted, Kind kind, int[] keyColumns,
            List<List<Object>> keyValues, Calc calc, ResolvedSchema schema, Shared shared) {
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

    /** What EXPLAIN shows. */
    public String describe() {
        String columns = java.util.Arrays.stream(keyColumns).mapToObj(i -> rowType.fieldNames().get(i))
                .collect(java.util.stream.Collectors.joining(", "));
        return (kind == Kind.POINT ? "point lookups of " + lookups() + " key" + (lookups() == 1 ? "" : "s")
                : "prefix lookups of " + lookups() + " bucket-key value" + (lookups() == 1 ? "" : "s"))
                + " (" + columns + ") in " + path + (calc == null ? "" : ", then " + calc.description());
    }

    /** Reads the rows: the lookups, then the rest of the plan on the rows found. */
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

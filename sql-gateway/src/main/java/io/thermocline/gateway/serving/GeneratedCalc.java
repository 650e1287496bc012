package io.thermocline.gateway.serving;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.functions.AbstractRichFunction;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.util.RuntimeUDFContext;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.generated.GeneratedFunction;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a served query's plan above its lookups (projection, expressions, the remaining
 * filter) as the code Flink's planner generates for it, compiled and opened at its first use and
 * kept for every later execution. One caller at a time.
 */
final class GeneratedCalc {
    private final GeneratedFunction<FlatMapFunction<RowData, RowData>> function;
    private final RowDataSerializer copier;
    private final String description;
    private final ClassLoader classLoader;
    private FlatMapFunction<RowData, RowData> opened;

    /** @param output the type of the rows it emits, to copy them (generated code reuses its output row) */
    GeneratedCalc(GeneratedFunction<FlatMapFunction<RowData, RowData>> function, RowType output, String description,
            ClassLoader classLoader) {
        this.function = function;
        this.copier = new RowDataSerializer(output);
        this.description = description;
        this.classLoader = classLoader;
    }

    /** What EXPLAIN shows of it. */
    String description() {
        return description;
    }

    /** The rows it emits for the rows read. */
    synchronized List<RowData> apply(List<RowData> rows) throws Exception {
        if (opened == null) {
            FlatMapFunction<RowData, RowData> instance = function.newInstance(classLoader);
            if (instance instanceof AbstractRichFunction rich) {
                // Generated code reads its class loader and settings from a runtime context.
                rich.setRuntimeContext(new RuntimeUDFContext(new TaskInfoImpl("gateway", 1, 0, 1, 0), classLoader,
                        new ExecutionConfig(), Map.of(), new HashMap<>(),
                        UnregisteredMetricsGroup.createOperatorMetricGroup()));
                rich.open(DefaultOpenContext.INSTANCE);
            }
            opened = instance;
        }
        List<RowData> out = new ArrayList<>();
        Collector<RowData> collector = new Collector<>() {
            @Override
            public void collect(RowData row) {
                out.add(copier.copy(row));
            }

            @Override
            public void close() {}
        };
        for (RowData row : rows) {
            opened.flatMap(row, collector);
        }
        return out;
    }
}

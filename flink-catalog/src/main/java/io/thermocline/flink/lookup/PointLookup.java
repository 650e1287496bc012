package io.thermocline.flink.lookup;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.conversion.DataStructureConverter;
import org.apache.flink.table.data.conversion.DataStructureConverters;
import org.apache.flink.table.types.DataType;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.Map;

/**
 * A batch read of a primary-key table filtered to a few whole keys ({@code WHERE k = ..} or
 * {@code k IN (..)} over every key column) as KV lookups instead of a scan, batched per server:
 * emits the rows of the keys that have one.
 */
public final class PointLookup extends RichFlatMapFunction<Integer, RowData> {
    private static final long serialVersionUID = 1L;

    private final TableLookup lookup;
    /** The keys' values, one per primary-key column, as Flink's external (Java) values, and their types. */
    private final List<List<Object>> keys;
    private final List<DataType> types;

    /**
     * @param primaryKey the key columns' positions
     * @param keys the keys' values in key order, as SQL literals' Java values
     * @param types their SQL types
     * @param projection the columns to emit, or null for all
     */
    public PointLookup(Map<String, String> clientOptions, TablePath path, RowType rowType, int[] primaryKey,
            List<List<Object>> keys, List<DataType> types, int[] projection) {
        int[] keyFields = new int[primaryKey.length];
        for (int i = 0; i < keyFields.length; i++) {
            keyFields[i] = i;
        }
        this.lookup = new TableLookup(clientOptions, path, rowType, new LookupKeys(false, keyFields, primaryKey),
                projection);
        this.keys = keys.stream().map(List::copyOf).collect(java.util.stream.Collectors.toList());
        this.types = List.copyOf(types);
    }

    @Override
    public void open(OpenContext context) {
        lookup.open();
    }

    @Override
    public void flatMap(Integer ignored, Collector<RowData> out) {
        List<DataStructureConverter<Object, Object>> converters = new java.util.ArrayList<>();
        for (DataType type : types) {
            DataStructureConverter<Object, Object> converter = DataStructureConverters.getConverter(type);
            converter.open(getRuntimeContext().getUserCodeClassLoader());
            converters.add(converter);
        }
        // All keys at once: concurrent lookups leave in batches, one request per server.
        List<java.util.concurrent.CompletableFuture<java.util.Collection<RowData>>> found = new java.util.ArrayList<>();
        for (List<Object> values : keys) {
            GenericRowData key = new GenericRowData(values.size());
            for (int i = 0; i < values.size(); i++) {
                key.setField(i, converters.get(i).toInternalOrNull(values.get(i)));
            }
            found.add(lookup.lookup(key));
        }
        for (var rows : found) {
            TableLookup.join(rows, lookup.path()).forEach(out::collect);
        }
    }

    @Override
    public void close() {
        lookup.close();
    }
}

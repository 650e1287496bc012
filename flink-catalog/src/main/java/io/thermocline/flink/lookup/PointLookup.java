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
 * A batch read of a primary-key table filtered to one key ({@code WHERE k1 = .. AND k2 = ..} over
 * the whole key) as a single KV lookup instead of a scan: emits the key's row, if any.
 */
public final class PointLookup extends RichFlatMapFunction<Integer, RowData> {
    private static final long serialVersionUID = 1L;

    private final TableLookup lookup;
    /** The key's values, one per primary-key column, as Flink's external (Java) values, and their types. */
    private final List<Object> values;
    private final List<DataType> types;

    /**
     * @param primaryKey the key columns' positions
     * @param values the key's values in key order, as SQL literals' Java values
     * @param types their SQL types
     * @param projection the columns to emit, or null for all
     */
    public PointLookup(Map<String, String> clientOptions, TablePath path, RowType rowType, int[] primaryKey,
            List<Object> values, List<DataType> types, int[] projection) {
        int[] keyFields = new int[primaryKey.length];
        for (int i = 0; i < keyFields.length; i++) {
            keyFields[i] = i;
        }
        this.lookup = new TableLookup(clientOptions, path, rowType, new LookupKeys(false, keyFields, primaryKey),
                projection);
        this.values = List.copyOf(values);
        this.types = List.copyOf(types);
    }

    @Override
    public void open(OpenContext context) {
        lookup.open();
    }

    @Override
    public void flatMap(Integer ignored, Collector<RowData> out) {
        GenericRowData key = new GenericRowData(values.size());
        for (int i = 0; i < values.size(); i++) {
            DataStructureConverter<Object, Object> converter = DataStructureConverters.getConverter(types.get(i));
            converter.open(getRuntimeContext().getUserCodeClassLoader());
            key.setField(i, converter.toInternalOrNull(values.get(i)));
        }
        TableLookup.join(lookup.lookup(key), lookup.path()).forEach(out::collect);
    }

    @Override
    public void close() {
        lookup.close();
    }
}

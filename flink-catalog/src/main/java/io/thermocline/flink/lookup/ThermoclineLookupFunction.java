package io.thermocline.flink.lookup;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;

import java.util.Collection;

/** Synchronous lookup join on a primary-key table: one key at a time, from the bucket leaders' KV tablets. */
public final class ThermoclineLookupFunction extends LookupFunction {
    private static final long serialVersionUID = 1L;
    private final TableLookup lookup;

    ThermoclineLookupFunction(TableLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public void open(FunctionContext context) {
        lookup.open();
    }

    @Override
    public Collection<RowData> lookup(RowData keyRow) {
        return TableLookup.join(lookup.lookup(keyRow), lookup.path());
    }

    @Override
    public void close() {
        lookup.close();
    }
}

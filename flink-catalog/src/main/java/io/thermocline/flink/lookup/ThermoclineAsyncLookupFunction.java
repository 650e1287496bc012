package io.thermocline.flink.lookup;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncLookupFunction;
import org.apache.flink.table.functions.FunctionContext;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/** Asynchronous lookup join on a primary-key table: concurrent keys batched per bucket leader. */
public final class ThermoclineAsyncLookupFunction extends AsyncLookupFunction {
    private static final long serialVersionUID = 1L;
    private final TableLookup lookup;

    ThermoclineAsyncLookupFunction(TableLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public void open(FunctionContext context) {
        lookup.open();
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncLookup(RowData keyRow) {
        return lookup.lookup(keyRow);
    }

    @Override
    public void close() {
        lookup.close();
    }
}

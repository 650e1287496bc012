package io.thermocline.flink.lookup;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Lookuper;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.RowConverter;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The work of a lookup join shared by the sync and async functions: Flink key rows to lookup keys,
 * the lookups (full-key ones batched), the rows found checked against every join key and
 * projected. Open before use; not thread-safe except {@link #lookup}, which may run concurrently.
 */
final class TableLookup implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BATCH = 256;

    private final Map<String, String> clientOptions;
    private final TablePath path;
    private final RowType rowType;
    private final LookupKeys keys;
    /** The columns to emit, or null for all. */
    private final int[] projection;
    private final RowConverter joinRows;
    private final RowConverter tableRows;
    private transient Connection connection;
    private transient Lookuper lookuper;
    private transient LookupBatcher batcher;

    TableLookup(Map<String, String> clientOptions, TablePath path, RowType rowType, LookupKeys keys, int[] projection) {
        this.clientOptions = Map.copyOf(clientOptions);
        this.path = path;
        this.rowType = rowType;
        this.keys = keys;
        this.projection = projection;
        this.joinRows = new RowConverter(rowType.project(keys.joinColumns()));
        this.tableRows = new RowConverter(rowType);
    }

    void open() {
        connection = ConnectionFactory.create(new Configuration(clientOptions));
        lookuper = connection.table(path).newLookuper();
        batcher = new LookupBatcher(lookuper, MAX_BATCH);
    }

    CompletableFuture<Collection<RowData>> lookup(RowData keyRow) {
        GenericRow join = joinRows.toThermocline(keyRow);
        GenericRow key = new GenericRow(keys.keyFields().length);
        for (int i = 0; i < keys.keyFields().length; i++) {
            Object value = join.getField(keys.keyFields()[i]);
            if (value == null) {
                return CompletableFuture.completedFuture(List.of()); // a null key joins nothing
            }
            key.setField(i, value);
        }
        CompletableFuture<List<GenericRow>> found = keys.prefix() ? lookuper.prefixLookup(key)
                : batcher.lookup(key).thenApply(row -> row.map(List::of).orElse(List.of()));
        return found.thenApply(rows -> {
            List<RowData> out = new ArrayList<>(rows.size());
            for (GenericRow row : rows) {
                if (matches(row, join)) {
                    out.add(project(tableRows.toFlink(row)));
                }
            }
            return out;
        });
    }

    /** Whether a row found has every join key's value (the lookup used only some of them). */
    private boolean matches(GenericRow row, GenericRow join) {
        int[] columns = keys.joinColumns();
        for (int i = 0; i < columns.length; i++) {
            if (!Objects.deepEquals(row.getField(columns[i]), join.getField(i))) {
                return false;
            }
        }
        return true;
    }

    private RowData project(GenericRowData row) {
        if (projection == null) {
            return row;
        }
        GenericRowData projected = new GenericRowData(projection.length);
        for (int i = 0; i < projection.length; i++) {
            projected.setField(i, row.getField(projection[i]));
        }
        return projected;
    }

    TablePath path() {
        return path;
    }

    void close() {
        if (connection != null) {
            connection.close();
        }
    }

    /** For the sync function: the optional row of one key. */
    static <T> T join(CompletableFuture<T> future, TablePath path) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("Lookup in " + path + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}

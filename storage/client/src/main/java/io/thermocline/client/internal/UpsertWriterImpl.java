package io.thermocline.client.internal;

import io.thermocline.client.api.TableInfo;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.internal.record.ChangeType;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.schema.Schema;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** {@link UpsertWriter} over the batching writer in upsert mode. */
final class UpsertWriterImpl implements UpsertWriter {
    private final TableImpl table;
    private final int[] keyIndexes;
    private final AppendWriterImpl writer;

    UpsertWriterImpl(TableImpl table, String[] targetColumns) {
        this.table = table;
        Schema schema = table.info().schema();
        if (!schema.hasPrimaryKey()) {
            throw new InvalidRequestException("Table " + table.info().path() + " has no primary key; write it with an"
                    + " append writer (Table.newAppendWriter)");
        }
        this.keyIndexes = schema.primaryKeyIndexes();
        this.writer = new AppendWriterImpl(table, true, targetColumns == null ? null : targets(table.info(), targetColumns));
    }

    /** The positions of a partial update's columns, which must include the key and every NOT NULL column. */
    static int[] targets(TableInfo info, String[] names) {
        Schema schema = info.schema();
        Set<Integer> indexes = new LinkedHashSet<>();
        for (String name : names) {
            if (schema.column(name).isEmpty()) {
                throw new InvalidRequestException("Table " + info.path() + " has no column `" + name + "` to"
                        + " update: " + schema.columnNames());
            }
            indexes.add(schema.columnIndex(name));
        }
        for (String key : schema.primaryKey()) {
            if (!indexes.contains(schema.columnIndex(key))) {
                throw new InvalidRequestException("Table " + info.path() + ": a partial-update writer must set"
                        + " the key column `" + key + "`");
            }
        }
        for (int i = 0; i < schema.rowType().fieldCount(); i++) {
            if (!indexes.contains(i) && !schema.rowType().typeAt(i).isNullable()) {
                throw new InvalidRequestException("Table " + info.path() + ": a partial-update writer must set"
                        + " `" + schema.columnNames().get(i) + "`, which is NOT NULL (a new key would get null there)");
            }
        }
        return indexes.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public CompletableFuture<Void> upsert(InternalRow row) {
        return write(ChangeType.INSERT, row);
    }

    @Override
    public CompletableFuture<Void> delete(InternalRow row) {
        return write(ChangeType.DELETE, row);
    }

    /** A row without its key fails alone, here, rather than the batch it would join on the server. */
    private CompletableFuture<Void> write(ChangeType change, InternalRow row) {
        for (int key : keyIndexes) {
            if (row.isNullAt(key)) {
                return CompletableFuture.failedFuture(new InvalidRecordException("Table " + table.info().path()
                        + ": key column `" + table.info().schema().columnNames().get(key) + "` is null"));
            }
        }
        return writer.write(change, row).thenApply(result -> null);
    }

    @Override
    public void flush() {
        writer.flush();
    }

    @Override
    public void close() {
        writer.close();
    }
}

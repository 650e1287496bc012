package io.thermocline.client.api;

import io.thermocline.common.row.InternalRow;

import java.util.concurrent.CompletableFuture;

/**
 * Writes a primary-key table: upserts and deletes by key, batched per bucket in the background
 * like {@link AppendWriter}. The bucket leader merges each write with the key's current row by the
 * table's merge engine and appends the resulting changelog (+I, -U/+U, -D; nothing for a write
 * that changes nothing). A future completes once the write is acknowledged (with acks=all: held by
 * the table's minimum in-sync replicas); a lookup after that sees it. A partial-update writer
 * ({@link Table#newUpsertWriter(String...)}) sets only its columns, so that several writers can
 * update different columns of the same rows. Thread-safe; close it to send what is buffered.
 */
public interface UpsertWriter extends AutoCloseable {

    /** Inserts the row, or merges it into the row of its key. Rows have every column of the table. */
    CompletableFuture<Void> upsert(InternalRow row);

    /** Deletes the row of the key the row holds (its other columns are ignored), as the table's delete behavior says. */
    CompletableFuture<Void> delete(InternalRow row);

    void flush();

    @Override
    void close();
}

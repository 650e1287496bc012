package io.thermocline.client.api;

/**
 * Access to one table's data. Obtained from {@link Connection#table}; cheap, thread-safe, and
 * closed with its connection. Writers and scanners it creates must be closed by the caller.
 */
public interface Table {

    TableInfo info();

    /** A writer for a log table; see {@link AppendWriter}. */
    AppendWriter newAppendWriter();

    /** A writer of whole rows for a primary-key table; see {@link UpsertWriter}. */
    UpsertWriter newUpsertWriter();

    /** A partial-update writer setting only these columns, which must include the primary key. */
    UpsertWriter newUpsertWriter(String... targetColumns);

    /**
     * A writer whose rows are appended (or upserted) only when committed, idempotently; see
     * {@link StagedWriter}. For a primary-key table, {@code targetColumns} (with the key) makes it a
     * partial update; none means whole rows.
     */
    StagedWriter newStagedWriter(String... targetColumns);

    /** Point and prefix lookups by key for a primary-key table. */
    Lookuper newLookuper();

    /** A scanner of all columns. */
    LogScanner newLogScanner();

    /** A scanner of some columns, by index in the table's schema, in the order given. */
    LogScanner newLogScanner(int[] projectedColumns);
}

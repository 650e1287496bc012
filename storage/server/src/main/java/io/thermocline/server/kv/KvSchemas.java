package io.thermocline.server.kv;

import io.thermocline.common.internal.kv.ValueEncoder;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaLookup;

import java.util.function.Function;

/**
 * The schemas a primary-key bucket keeps its state in. Values and changelog batches name the
 * schema they were written with; the bucket works in the newest schema any write has used, and
 * moves forward when a writer uses a newer one. Tables only gain nullable columns, so a row of an
 * older schema widens with nulls. Thread-safe: lookups decode while the replica writes.
 */
public final class KvSchemas {
    private final SchemaLookup lookup;
    private final Function<Schema, RowMerger> mergers;
    private volatile Current current;

    private record Current(Schema schema, RowMerger merger, ValueEncoder encoder) {}

    /** @param mergers the merge rules of a schema (the table's options applied to it) */
    public KvSchemas(Schema initial, SchemaLookup lookup, Function<Schema, RowMerger> mergers) {
        this.lookup = lookup;
        this.mergers = mergers;
        this.current = current(initial);
    }

    /** A table that keeps one schema (tests, tools). */
    public static KvSchemas fixed(Schema schema, RowMerger merger) {
        return new KvSchemas(schema, SchemaLookup.of(schema), s -> merger);
    }

    public Schema current() {
        return current.schema();
    }

    /**
     * Makes the schema of {@code schemaId} current if it is newer; returns the current schema.
     * Throws {@code SchemaException} for an id the table never had.
     */
    public Schema advanceTo(int schemaId) {
        Current now = current;
        if (schemaId > now.schema().schemaId()) {
            now = current(lookup.schema(schemaId));
            current = now;
        } else if (schemaId < now.schema().schemaId()) {
            lookup.schema(schemaId); // an id below the current one must still exist
        }
        return now.schema();
    }

    SchemaLookup lookup() {
        return lookup;
    }

    RowMerger merger() {
        return current.merger();
    }

    ValueEncoder encoder() {
        return current.encoder();
    }

    /** A stored value as a row of the current schema. */
    GenericRow decode(byte[] value) {
        return ValueEncoder.decode(value, lookup, current.schema().rowType());
    }

    private Current current(Schema schema) {
        return new Current(schema, mergers.apply(schema), new ValueEncoder(schema.rowType(), schema.schemaId()));
    }
}

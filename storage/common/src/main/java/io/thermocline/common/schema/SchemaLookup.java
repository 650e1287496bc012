package io.thermocline.common.schema;

import io.thermocline.common.exception.SchemaException;

/**
 * Finds one table's schema by id. Batches and KV values name the schema they were written with,
 * which may be older (or, for a reader that started before an ALTER, newer) than the reader's.
 */
@FunctionalInterface
public interface SchemaLookup {
    /** The schema with this id; throws {@link SchemaException} naming the id when the table never had it. */
    Schema schema(int schemaId);

    /** A lookup that knows exactly one schema (a table that never changed, or a test). */
    static SchemaLookup of(Schema only) {
        return id -> {
            if (id != only.schemaId()) {
                throw new SchemaException("Unknown schema " + id + ": only schema " + only.schemaId() + " is known");
            }
            return only;
        };
    }
}

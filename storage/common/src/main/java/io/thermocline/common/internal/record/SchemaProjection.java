package io.thermocline.common.internal.record;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaLookup;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A projection to some columns of a table's latest schema, for batches of any of its schemas: a
 * batch of an older schema keeps the wanted columns it has, in the wanted order, and may keep
 * none (only its header and row count). {@link SchemaEvolvingReader} reads the result. Thread-safe.
 */
public final class SchemaProjection {
    private final SchemaLookup schemas;
    private final int[] columns;
    private final TableBucket bucket;
    private final Map<Integer, BatchProjection> bySchema = new ConcurrentHashMap<>();

    /** Throws {@link SchemaException} when {@code columns} are not distinct columns of {@code latest}. */
    public SchemaProjection(SchemaLookup schemas, Schema latest, int[] columns, TableBucket bucket) {
        this.schemas = schemas;
        this.columns = columns.clone();
        this.bucket = bucket;
        if (columns.length == 0) {
            throw new SchemaException("A projection needs at least one column of " + latest.rowType());
        }
        bySchema.put(latest.schemaId(), new BatchProjection(latest.rowType(), this.columns, bucket));
    }

    /** The projection of batches written with schema {@code schemaId}. */
    public BatchProjection forSchema(int schemaId) {
        return bySchema.computeIfAbsent(schemaId, id -> {
            Schema schema = schemas.schema(id);
            int[] present = Arrays.stream(columns).filter(c -> c < schema.columnCount()).toArray();
            return new BatchProjection(schema.rowType(), present, bucket);
        });
    }
}

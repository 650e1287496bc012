package io.thermocline.server.tablet;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaLookup;
import io.thermocline.server.kv.RowMerger;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a tablet server knows of a table: its registration and schemas by id. Nobody tells a
 * server of an ALTER: the first batch naming a newer schema makes it read the table again from
 * ZooKeeper (the coordinator registers a schema before any client can use it). Thread-safe.
 */
final class TableMeta implements SchemaLookup {
    private final long tableId;
    private final ZooKeeperMetadataStore store;
    private volatile TableRegistration registration;
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    /** Merge rules per schema of a primary-key table (a new column gets the default rule). */
    private final Map<Integer, RowMerger> mergers = new ConcurrentHashMap<>();

    TableMeta(long tableId, ZooKeeperMetadataStore store) {
        this.tableId = tableId;
        this.store = store;
        reload();
    }

    TableRegistration registration() {
        return registration;
    }

    Schema latest() {
        return schemas.get(registration.latestSchemaId());
    }

    /** The latest schema, read again first when it has fewer than {@code columns} columns (a client saw a newer one). */
    Schema latest(int columns) {
        if (latest().columnCount() < columns) {
            reload();
        }
        return latest();
    }

    @Override
    public Schema schema(int schemaId) {
        Schema schema = schemas.get(schemaId);
        if (schema == null && schemaId > registration.latestSchemaId()) {
            reload();
            schema = schemas.get(schemaId);
        }
        if (schema == null) {
            throw new SchemaException("Table " + registration.path() + " has no schema " + schemaId + " (its latest is "
                    + registration.latestSchemaId() + ")");
        }
        return schema;
    }

    boolean hasSchema(int schemaId) {
        try {
            schema(schemaId);
            return true;
        } catch (SchemaException e) {
            return false;
        }
    }

    /** The merge rules of rows of {@code schema}; null for a log table. */
    RowMerger merger(Schema schema) {
        if (!schema.hasPrimaryKey()) {
            return null;
        }
        return mergers.computeIfAbsent(schema.schemaId(), id -> RowMerger.of(registration.path(), schema,
                registration.options()));
    }

    private synchronized void reload() {
        TableRegistration fresh = store.requireTable(tableId);
        for (Schema schema : store.schemas(tableId)) {
            schemas.putIfAbsent(schema.schemaId(), schema);
        }
        registration = fresh;
    }
}

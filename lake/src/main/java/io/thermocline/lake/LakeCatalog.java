package io.thermocline.lake;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.TablePath;

import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The Iceberg catalog holding the lake halves of lake-enabled tables: database {@code db} and
 * table {@code t} become Iceberg table {@code db.t}. Connects on first use, so a cluster whose
 * lake is down still starts; every failure to reach the catalog is a {@link LakeException} naming
 * the catalog and the table. Thread-safe.
 */
public final class LakeCatalog implements AutoCloseable {
    /** Iceberg table property naming the Thermocline table id the Iceberg table belongs to. */
    public static final String TABLE_ID_PROPERTY = "thermocline.table-id";

    private final String name;
    private final Map<String, String> properties;
    private Catalog catalog;

    /** Warehouse schemes of object stores, where a Hadoop catalog cannot commit safely. */
    private static final Set<String> OBJECT_STORE_SCHEMES =
            Set.of("s3", "s3a", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos", "cosn", "obs");

    /**
     * @throws LakeException when the options name a catalog that cannot work, such as a Hadoop
     *     catalog on object storage
     */
    public LakeCatalog(Map<String, String> clusterConf) {
        IcebergThreads.start();
        this.name = clusterConf.getOrDefault(LakeOptions.CATALOG_NAME.key(), LakeOptions.CATALOG_NAME.defaultValue());
        Map<String, String> properties = LakeOptions.catalogProperties(clusterConf);
        String type = properties.get(CatalogUtil.ICEBERG_CATALOG_TYPE);
        String warehouse = properties.get(CatalogProperties.WAREHOUSE_LOCATION);
        if (CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP.equals(type) && warehouse != null
                && OBJECT_STORE_SCHEMES.contains(LakeFileIO.scheme(warehouse))) {
            throw new LakeException("Lake catalog '" + name + "': a Hadoop catalog cannot keep its warehouse on "
                    + warehouse + ": it commits by renaming a metadata file, and object stores have no atomic rename,"
                    + " so concurrent commits could overwrite each other. Put the tables behind a catalog that commits"
                    + " atomically: " + LakeOptions.CATALOG_TYPE.key() + " = rest (Polaris, Lakekeeper, Gravitino,"
                    + " Nessie, Unity) or jdbc (PostgreSQL), with the warehouse on " + warehouse);
        }
        if (CatalogUtil.ICEBERG_CATALOG_TYPE_REST.equals(type)) {
            // Iceberg's REST client waits forever for an answer otherwise.
            for (ConfigOption<Long> timeout : List.of(LakeOptions.REST_CONNECT_TIMEOUT_MS,
                    LakeOptions.REST_SOCKET_TIMEOUT_MS)) {
                properties.putIfAbsent(timeout.key().substring(LakeOptions.CATALOG_PREFIX.length()),
                        timeout.defaultValue().toString());
            }
        }
        if (!CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP.equals(type)) {
            properties.putIfAbsent(CatalogProperties.FILE_IO_IMPL, LakeFileIO.implementation(warehouse, properties));
        }
        this.properties = Map.copyOf(properties);
    }

    /** The catalog's name, as Iceberg knows it. */
    public String name() {
        return name;
    }

    /** The Iceberg catalog properties ({@code type}, {@code warehouse}, {@code uri}, ...). */
    public Map<String, String> properties() {
        return properties;
    }

    /** The options that name this catalog ({@code lake.catalog-name}, {@code lake.catalog.*}), for clients. */
    public Map<String, String> options() {
        Map<String, String> options = new java.util.TreeMap<>();
        options.put(LakeOptions.CATALOG_NAME.key(), name);
        properties.forEach((key, value) -> options.put(LakeOptions.CATALOG_PREFIX + key, value));
        return options;
    }

    /** The Iceberg catalog class: {@code catalog-impl}, or the one Iceberg uses for {@code type}. */
    public String implementation() {
        String impl = properties.get("catalog-impl");
        if (impl != null) {
            return impl;
        }
        String type = properties.get(CatalogUtil.ICEBERG_CATALOG_TYPE);
        switch (type) {
            case CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP:
                return CatalogUtil.ICEBERG_CATALOG_HADOOP;
            case CatalogUtil.ICEBERG_CATALOG_TYPE_HIVE:
                return CatalogUtil.ICEBERG_CATALOG_HIVE;
            case CatalogUtil.ICEBERG_CATALOG_TYPE_REST:
                return CatalogUtil.ICEBERG_CATALOG_REST;
            case CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC:
                return CatalogUtil.ICEBERG_CATALOG_JDBC;
            case CatalogUtil.ICEBERG_CATALOG_TYPE_GLUE:
                return CatalogUtil.ICEBERG_CATALOG_GLUE;
            case CatalogUtil.ICEBERG_CATALOG_TYPE_NESSIE:
                return CatalogUtil.ICEBERG_CATALOG_NESSIE;
            default:
                throw new LakeException("Lake catalog '" + name + "': unknown type '" + type
                        + "'; known: hadoop, hive, rest, jdbc, glue, nessie, or set catalog-impl");
        }
    }

    /** Whether the cluster names a lake at all: a warehouse, or a catalog that needs none. */
    public boolean isConfigured() {
        return properties.containsKey("warehouse") || !"hadoop".equals(properties.get("type"))
                || properties.containsKey("catalog-impl");
    }

    /** The Iceberg catalog, connected on first use. */
    public synchronized Catalog catalog() {
        if (catalog == null) {
            if (!isConfigured()) {
                throw new LakeException("No lake is configured: set " + LakeOptions.WAREHOUSE.key()
                        + " (and " + LakeOptions.CATALOG_TYPE.key() + " for a non-Hadoop catalog)");
            }
            catalog = call("connect", () -> CatalogUtil.buildIcebergCatalog(name, properties,
                    new org.apache.hadoop.conf.Configuration()));
        }
        return catalog;
    }

    /** The catalog, or a {@link LakeException} naming the table that needed it. */
    private Catalog catalogFor(TablePath path) {
        try {
            return catalog();
        } catch (LakeException e) {
            throw new LakeException("Table " + path + ": " + e.getMessage(), e);
        }
    }

    public static TableIdentifier identifier(TablePath path) {
        return TableIdentifier.of(Namespace.of(path.database()), path.table());
    }

    /**
     * Creates the Iceberg table of a new lake-enabled table. An Iceberg table of that name created
     * for the same Thermocline table (a retried create) is returned; any other is refused.
     */
    public Table createTable(LakeTableLayout layout) {
        org.apache.iceberg.Schema schema = layout.icebergSchema(); // refuses unmappable types before any call
        PartitionSpec spec = layout.partitionSpec(schema);
        TableIdentifier id = identifier(layout.path());
        Catalog iceberg = catalogFor(layout.path());
        return call("create " + id, () -> {
            if (iceberg instanceof SupportsNamespaces) {
                SupportsNamespaces namespaces = (SupportsNamespaces) iceberg;
                if (!namespaces.namespaceExists(id.namespace())) {
                    try {
                        namespaces.createNamespace(id.namespace());
                    } catch (AlreadyExistsException e) {
                        // created concurrently: fine
                    }
                }
            }
            try {
                return iceberg.buildTable(id, schema).withPartitionSpec(spec)
                        .withProperties(Map.of(
                                TableProperties.FORMAT_VERSION, "2",
                                TableProperties.PARQUET_COMPRESSION, "zstd",
                                // Hadoop-catalog tables keep every metadata file otherwise: one per round.
                                TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
                                TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "20",
                                TABLE_ID_PROPERTY, Long.toString(layout.tableId())))
                        .create();
            } catch (AlreadyExistsException e) {
                Table existing = iceberg.loadTable(id);
                if (Long.toString(layout.tableId()).equals(existing.properties().get(TABLE_ID_PROPERTY))) {
                    // Re-enabled after columns were added while the lake was off.
                    addMissingColumns(layout, existing);
                    return existing;
                }
                throw new LakeException("Table " + layout.path() + ": the lake already has an Iceberg table " + id
                        + " that Thermocline did not create for it (" + TABLE_ID_PROPERTY + "="
                        + existing.properties().get(TABLE_ID_PROPERTY) + "); drop or rename it to enable the lake");
            }
        });
    }

    /**
     * Adds the columns of the layout's schema that its Iceberg table lacks, before the system
     * columns: the lake half of ALTER TABLE ADD COLUMN. A retried ALTER finds them added.
     */
    public void addMissingColumns(LakeTableLayout layout) {
        TableIdentifier id = identifier(layout.path());
        Catalog iceberg = catalogFor(layout.path());
        call("add columns to " + id, () -> {
            Table table;
            try {
                table = iceberg.loadTable(id);
            } catch (NoSuchTableException e) {
                throw new LakeException("Table " + layout.path() + ": its Iceberg table " + id + " is gone from the lake");
            }
            addMissingColumns(layout, table);
            return null;
        });
    }

    private static void addMissingColumns(LakeTableLayout layout, Table table) {
        org.apache.iceberg.Schema expected = layout.icebergSchema();
        UpdateSchema update = table.updateSchema();
        boolean changed = false;
        for (Types.NestedField field : expected.columns()) {
            if (table.schema().findField(field.name()) == null) {
                update.addColumn(field.name(), field.type(), field.doc())
                        .moveBefore(field.name(), LakeTableLayout.BUCKET_COLUMN);
                changed = true;
            }
        }
        if (changed) {
            update.commit();
        }
        table.refresh();
        verify(layout, table);
    }

    /**
     * Loads a table's Iceberg table and checks it still is what Thermocline created: the same
     * table id, every column with its type, the system columns and the partition spec.
     */
    public Table loadTable(LakeTableLayout layout) {
        TableIdentifier id = identifier(layout.path());
        Catalog iceberg = catalogFor(layout.path());
        Table table = call("load " + id, () -> {
            try {
                return iceberg.loadTable(id);
            } catch (NoSuchTableException e) {
                throw new LakeException("Table " + layout.path() + ": its Iceberg table " + id + " is gone from the lake");
            }
        });
        verify(layout, table);
        return table;
    }

    private static void verify(LakeTableLayout layout, Table table) {
        String owner = table.properties().get(TABLE_ID_PROPERTY);
        if (!Long.toString(layout.tableId()).equals(owner)) {
            throw changed(layout, table, "it belongs to table id " + owner + ", not " + layout.tableId());
        }
        org.apache.iceberg.Schema expected = layout.icebergSchema();
        for (Types.NestedField field : expected.columns()) {
            Types.NestedField actual = table.schema().findField(field.name());
            if (actual == null) {
                throw changed(layout, table, "column `" + field.name() + "` is missing");
            }
            if (!actual.type().equals(field.type())) {
                throw changed(layout, table, "column `" + field.name() + "` is " + actual.type() + ", expected " + field.type());
            }
            if (actual.isOptional() && field.isRequired() && expected.identifierFieldNames().contains(field.name())) {
                throw changed(layout, table, "key column `" + field.name() + "` became optional");
            }
        }
        String expectedSpec = describe(layout.partitionSpec(expected), expected);
        String actualSpec = describe(table.spec(), table.schema());
        if (!expectedSpec.equals(actualSpec)) {
            throw changed(layout, table, "its partition spec is " + actualSpec + ", expected " + expectedSpec);
        }
    }

    private static String describe(PartitionSpec spec, org.apache.iceberg.Schema schema) {
        List<PartitionField> fields = spec.fields();
        return fields.stream().map(f -> f.transform() + "(" + schema.findColumnName(f.sourceId()) + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static LakeException changed(LakeTableLayout layout, Table table, String what) {
        return new LakeException("Table " + layout.path() + ": its Iceberg table " + table.name()
                + " was changed outside Thermocline: " + what + "; tiering stops until it is restored");
    }

    /** Drops a table's Iceberg table with its files, if it is the one created for that table. */
    public void dropTable(TablePath path, long tableId) {
        TableIdentifier id = identifier(path);
        Catalog iceberg = catalogFor(path);
        call("drop " + id, () -> {
            try {
                Table table = iceberg.loadTable(id);
                if (Long.toString(tableId).equals(table.properties().get(TABLE_ID_PROPERTY))) {
                    iceberg.dropTable(id, true);
                }
            } catch (NoSuchTableException e) {
                // nothing to drop
            }
            return null;
        });
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (LakeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LakeException(describe() + ": " + what + " failed: " + e, e);
        }
    }

    /** The catalog as errors name it: {@code Lake catalog 'thermocline' (rest at https://...)}. */
    public String describe() {
        String where = properties.getOrDefault("uri", properties.getOrDefault("warehouse", ""));
        return "Lake catalog '" + name + "' (" + properties.getOrDefault("type", implementation())
                + (where.isEmpty() ? "" : " at " + where) + ")";
    }

    @Override
    public synchronized void close() {
        if (catalog instanceof Closeable) {
            try {
                ((Closeable) catalog).close();
            } catch (IOException e) {
                // nothing holds on to a closed catalog
            }
        }
        catalog = null;
    }
}

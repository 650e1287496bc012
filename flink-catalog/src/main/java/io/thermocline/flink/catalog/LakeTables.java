package io.thermocline.flink.catalog;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.exception.LakeException;
import io.thermocline.lake.LakeCatalog;

import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkCatalog;
import org.apache.iceberg.flink.FlinkDynamicTableFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Iceberg halves of a catalog's tables as Flink sees them: {@code t$lake} is Iceberg table
 * {@code db.t} read by Iceberg's own Flink source (with its filter, projection and limit pushdown
 * and its split planning), {@code t$lake$snapshots} and the like are its metadata tables. The
 * Iceberg catalog is the one the cluster tiers into, asked of the cluster for every table looked up
 * (which checks that the reader may READ it: holding the lake's options for one table must not open
 * another's lake rows), under the catalog's own {@code lake.catalog.*} options; it is connected on
 * first use.
 */
public final class LakeTables {
    /** Option marking a table as a lake view; its value is the Iceberg object name ({@code t} or {@code t$snapshots}). */
    static final String LAKE_OBJECT_OPTION = "thermocline.lake-object";

    private final Function<TablePath, Map<String, String>> optionsFor;
    private FlinkCatalog iceberg;

    /** @param optionsFor the lake options to read a table's lake rows with; throws if the reader may not */
    public LakeTables(Function<TablePath, Map<String, String>> optionsFor) {
        this.optionsFor = optionsFor;
    }

    private synchronized FlinkCatalog iceberg(ObjectPath table) {
        Map<String, String> options = optionsFor.apply(TablePath.of(table.getDatabaseName(), table.getObjectName()));
        if (iceberg == null) {
            LakeCatalog lake = new LakeCatalog(options);
            if (!lake.isConfigured()) {
                throw new LakeException("No lake is configured for this catalog: set 'lake.catalog.warehouse' (and"
                        + " 'lake.catalog.type' for a non-Hadoop catalog) in CREATE CATALOG, or let the cluster hand"
                        + " out its own (coordinator.lake.share-catalog-options)");
            }
            Map<String, String> properties = new HashMap<>(lake.properties());
            properties.remove("type"); // the implementation class stands for it
            CatalogLoader loader = CatalogLoader.custom(lake.name(), properties, new org.apache.hadoop.conf.Configuration(),
                    lake.implementation());
            iceberg = new FlinkCatalog(lake.name(), "default", Namespace.empty(), loader, properties, false, -1);
        }
        return iceberg;
    }

    synchronized void close() {
        if (iceberg != null) {
            iceberg.close();
        }
    }

    /**
     * The Iceberg table of {@code table} ({@code metadata} null), or one of its metadata tables.
     *
     * @param table the path of the Thermocline table
     * @param metadata an Iceberg metadata table name ({@code snapshots}, {@code files}, ...), or null
     */
    CatalogBaseTable get(ObjectPath table, String metadata) throws TableNotExistException {
        String object = metadata == null ? table.getObjectName() : table.getObjectName() + "$" + metadata;
        CatalogTable lakeTable;
        try {
            lakeTable = iceberg(table).getTable(new ObjectPath(table.getDatabaseName(), object));
        } catch (IllegalArgumentException e) {
            throw new CatalogException("Table " + table.getFullName() + "$lake$" + metadata + ": Iceberg has no"
                    + " metadata table '" + metadata + "' (try snapshots, history, files, manifests, partitions)", e);
        }
        Map<String, String> options = new HashMap<>(lakeTable.getOptions());
        options.put(LAKE_OBJECT_OPTION, object);
        return lakeTable.copy(options);
    }

    /** The partitions of {@code table}'s Iceberg table, as Iceberg's Flink catalog lists them. */
    List<CatalogPartitionSpec> partitions(ObjectPath table) throws TableNotExistException {
        try {
            return iceberg(table).listPartitions(table);
        } catch (org.apache.flink.table.catalog.exceptions.TableNotPartitionedException e) {
            return List.of();
        }
    }

    /** Iceberg's own source for a lake view. */
    public DynamicTableSource source(DynamicTableFactory.Context context) {
        ObjectIdentifier identifier = context.getObjectIdentifier();
        String object = context.getCatalogTable().getOptions().get(LAKE_OBJECT_OPTION);
        ObjectIdentifier lakeObject = ObjectIdentifier.of(identifier.getCatalogName(), identifier.getDatabaseName(),
                object);
        ObjectPath table = new ObjectPath(identifier.getDatabaseName(), object.contains("$")
                ? object.substring(0, object.indexOf('$')) : object);
        return new FlinkDynamicTableFactory(iceberg(table)).createDynamicTableSource(new FactoryUtil.DefaultDynamicTableContext(
                lakeObject, context.getCatalogTable(), context.getEnrichmentOptions(), context.getConfiguration(),
                context.getClassLoader(), context.isTemporary()));
    }

    public static boolean isLakeView(Map<String, String> options) {
        return options.containsKey(LAKE_OBJECT_OPTION);
    }
}

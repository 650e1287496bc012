package io.thermocline.flink.table;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.FlinkTypes;
import io.thermocline.flink.catalog.LakeTables;
import io.thermocline.flink.lookup.LookupProviders;
import io.thermocline.flink.catalog.ThermoclineCatalog;
import io.thermocline.flink.source.ChangelogColumns;
import io.thermocline.flink.source.StartupMode;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sources and sinks of Thermocline tables. Tables of a {@code ThermoclineCatalog} reach the
 * cluster with the catalog's client options; used directly ({@code 'connector' = 'thermocline'}),
 * a table names {@code bootstrap.servers}, {@code database} and {@code table}.
 */
public final class ThermoclineTableFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {
    public static final String IDENTIFIER = "thermocline";

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("bootstrap.servers").stringType()
            .noDefaultValue().withDescription("The cluster's coordinators, host:port separated by commas.");
    public static final ConfigOption<String> DATABASE = ConfigOptions.key("database").stringType().noDefaultValue()
            .withDescription("Database of the table (without a catalog).");
    public static final ConfigOption<String> TABLE = ConfigOptions.key("table").stringType().noDefaultValue()
            .withDescription("Name of the table (without a catalog).");
    public static final ConfigOption<StartupMode> STARTUP_MODE = ConfigOptions.key("scan.startup.mode")
            .enumType(StartupMode.class).defaultValue(StartupMode.FULL)
            .withDescription("Where a read starts in every bucket: FULL (the lake snapshot, then the hot rows after"
                    + " it), EARLIEST (the hot tier's oldest row), LATEST (new rows), TIMESTAMP (rows committed"
                    + " from 'scan.startup.timestamp' on).");
    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE = ConfigOptions
            .key("sink.delivery-guarantee").enumType(DeliveryGuarantee.class)
            .defaultValue(DeliveryGuarantee.AT_LEAST_ONCE)
            .withDescription("AT_LEAST_ONCE: rows are written at once and acknowledged before each checkpoint."
                    + " EXACTLY_ONCE: rows are appended when their checkpoint completes, never twice.");
    public static final ConfigOption<java.time.Duration> PARTITION_DISCOVERY_INTERVAL = ConfigOptions
            .key("scan.partition.discovery.interval").durationType().defaultValue(java.time.Duration.ofSeconds(10))
            .withDescription("How often a streaming read of a partitioned table looks for new partitions.");
    public static final ConfigOption<Long> STARTUP_TIMESTAMP = ConfigOptions.key("scan.startup.timestamp").longType()
            .noDefaultValue().withDescription("Epoch milliseconds a TIMESTAMP read starts at.");

    private final Map<String, String> catalogClientOptions;
    private final LakeTables lakeTables;

    /** For {@code 'connector' = 'thermocline'}. */
    public ThermoclineTableFactory() {
        this(null, null);
    }

    /** For the tables of a catalog: they reach the cluster with its client options. */
    public ThermoclineTableFactory(Map<String, String> catalogClientOptions, LakeTables lakeTables) {
        this.catalogClientOptions = catalogClientOptions;
        this.lakeTables = lakeTables;
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(BOOTSTRAP_SERVERS, DATABASE, TABLE, STARTUP_MODE, STARTUP_TIMESTAMP, PARTITION_DISCOVERY_INTERVAL,
                DELIVERY_GUARANTEE);
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        if (lakeTables != null && LakeTables.isLakeView(context.getCatalogTable().getOptions())) {
            return lakeTables.source(context);
        }
        Resolved table = resolve(context);
        boolean batch = context.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
        return new ThermoclineTableSource(table.clientOptions, table.path, table.rowType, table.primaryKeyIndexes,
                table.bucketKeyIndexes, table.partitioned, table.startupMode, table.startupTimestamp, batch,
                table.changelog, table.options);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        Map<String, String> options = context.getCatalogTable().getOptions();
        if ("changelog".equals(options.get(ThermoclineCatalog.READ_OPTION)) || LakeTables.isLakeView(options)) {
            throw new ValidationException("Table " + context.getObjectIdentifier().asSummaryString()
                    + " is a read-only view of its table: write to the table itself");
        }
        Resolved table = resolve(context);
        return new ThermoclineTableSink(table.clientOptions, table.path, table.rowType, table.primaryKeyIndexes,
                table.options.get(DELIVERY_GUARANTEE));
    }

    /** @param primaryKeyIndexes the key columns' positions, null for a log table */
    private record Resolved(Map<String, String> clientOptions, TablePath path, RowType rowType, int[] primaryKeyIndexes,
            int[] bucketKeyIndexes, boolean partitioned, StartupMode startupMode, long startupTimestamp,
            boolean changelog, org.apache.flink.configuration.Configuration options) {}

    /** {@code _change_type}, {@code _log_offset}, {@code _commit_timestamp} lead a changelog view's columns. */
    private static final int CHANGELOG_COLUMNS = ChangelogColumns.COLUMNS.size();

    private Resolved resolve(Context context) {
        Map<String, String> options = context.getCatalogTable().getOptions();
        String name = context.getObjectIdentifier().asSummaryString();
        Map<String, String> client = new HashMap<>();
        TablePath path;
        boolean changelog = "changelog".equals(options.get(ThermoclineCatalog.READ_OPTION));
        if (catalogClientOptions != null) {
            client.putAll(catalogClientOptions);
            String object = context.getObjectIdentifier().getObjectName();
            // A view such as t$changelog reads its table t.
            path = TablePath.of(context.getObjectIdentifier().getDatabaseName(),
                    changelog ? object.substring(0, object.indexOf('$')) : object);
        } else {
            for (ConfigOption<String> required : List.of(BOOTSTRAP_SERVERS, DATABASE, TABLE)) {
                if (!options.containsKey(required.key())) {
                    throw new ValidationException("Table " + name + ": option '" + required.key() + "' is required");
                }
            }
            client.put(BOOTSTRAP_SERVERS.key(), options.get(BOOTSTRAP_SERVERS.key()));
            path = TablePath.of(options.get(DATABASE.key()), options.get(TABLE.key()));
        }
        org.apache.flink.configuration.Configuration config = org.apache.flink.configuration.Configuration.fromMap(options);
        for (ConfigOption<?> option : List.of(STARTUP_MODE, STARTUP_TIMESTAMP, PARTITION_DISCOVERY_INTERVAL,
                DELIVERY_GUARANTEE, LookupProviders.LOOKUP_ASYNC, LookupOptions.CACHE_TYPE, LookupOptions.PARTIAL_CACHE_MAX_ROWS,
                LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE, LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_ACCESS,
                LookupOptions.PARTIAL_CACHE_CACHE_MISSING_KEY)) {
            try {
                config.getOptional(option);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("Table " + name + ": option '" + option.key() + "' cannot be '"
                        + options.get(option.key()) + "'" + (option == STARTUP_MODE ? "; use one of "
                        + Arrays.toString(StartupMode.values()) : "") + " (" + e.getMessage() + ")", e);
            }
        }
        StartupMode mode = config.get(STARTUP_MODE);
        long timestamp = -1;
        if (mode == StartupMode.TIMESTAMP) {
            timestamp = config.getOptional(STARTUP_TIMESTAMP).orElseThrow(() -> new ValidationException("Table "
                    + name + ": option '" + STARTUP_MODE.key() + "' = 'TIMESTAMP' needs '" + STARTUP_TIMESTAMP.key()
                    + "' (epoch milliseconds)"));
        }
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        List<DataField> fields = new ArrayList<>();
        for (Column column : schema.getColumns().subList(changelog ? CHANGELOG_COLUMNS : 0, schema.getColumns().size())) {
            if (column.isPhysical()) {
                fields.add(new DataField(column.getName(), FlinkTypes.fromFlink(column.getName(),
                        column.getDataType().getLogicalType())));
            }
        }
        RowType rowType = new RowType(fields, false);
        int[] key = schema.getPrimaryKey().map(pk -> pk.getColumns().stream().mapToInt(rowType::fieldIndex).toArray())
                .orElse(null);
        String bucketKeyOption = options.get(ThermoclineCatalog.BUCKET_KEY);
        int[] bucketKey = bucketKeyOption == null || bucketKeyOption.isEmpty() ? (key == null ? new int[0] : key)
                : Arrays.stream(bucketKeyOption.split(",")).map(String::trim).mapToInt(rowType::fieldIndex).toArray();
        return new Resolved(client, path, rowType, key, bucketKey, context.getCatalogTable().isPartitioned(), mode,
                timestamp, changelog, config);
    }

}

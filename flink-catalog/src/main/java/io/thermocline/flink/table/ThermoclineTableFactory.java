package io.thermocline.flink.table;

import io.thermocline.client.api.LogScanner;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.FlinkTypes;
import io.thermocline.flink.catalog.ThermoclineCatalog;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;

import java.util.ArrayList;
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
            .enumType(StartupMode.class).defaultValue(StartupMode.EARLIEST)
            .withDescription("Where a read starts in every bucket: EARLIEST (all rows kept) or LATEST (new rows).");

    /** Where reads start. */
    public enum StartupMode { EARLIEST, LATEST }

    private final Map<String, String> catalogClientOptions;

    /** For {@code 'connector' = 'thermocline'}. */
    public ThermoclineTableFactory() {
        this(null);
    }

    /** For the tables of a catalog: they reach the cluster with its client options. */
    public ThermoclineTableFactory(Map<String, String> catalogClientOptions) {
        this.catalogClientOptions = catalogClientOptions;
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
        return Set.of(BOOTSTRAP_SERVERS, DATABASE, TABLE, STARTUP_MODE);
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        Resolved table = resolve(context);
        boolean batch = context.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
        return new ThermoclineTableSource(table.clientOptions, table.path, table.rowType, table.primaryKeyIndexes,
                table.startupMode == StartupMode.LATEST ? LogScanner.LATEST : LogScanner.EARLIEST, batch,
                table.changelog);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        Resolved table = resolve(context);
        if (table.changelog) {
            throw new ValidationException("Table " + context.getObjectIdentifier().asSummaryString()
                    + " is a changelog view: it cannot be written");
        }
        return new ThermoclineTableSink(table.clientOptions, table.path, table.rowType, table.primaryKeyIndexes != null);
    }

    /** @param primaryKeyIndexes the key columns' positions, null for a log table */
    private record Resolved(Map<String, String> clientOptions, TablePath path, RowType rowType, int[] primaryKeyIndexes,
            StartupMode startupMode, boolean changelog) {}

    /** {@code _change_type}, {@code _log_offset}, {@code _commit_timestamp} lead a changelog view's columns. */
    private static final int CHANGELOG_COLUMNS = 3;

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
        StartupMode mode;
        try {
            mode = org.apache.flink.configuration.Configuration.fromMap(options).get(STARTUP_MODE);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Table " + name + ": option '" + STARTUP_MODE.key() + "' must be one of"
                    + " EARLIEST, LATEST, not '" + options.get(STARTUP_MODE.key()) + "'", e);
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
        return new Resolved(client, path, rowType, key, mode, changelog);
    }

}

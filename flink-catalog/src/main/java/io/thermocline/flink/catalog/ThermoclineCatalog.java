package io.thermocline.flink.catalog;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.DatabaseAlreadyExistsException;
import io.thermocline.common.exception.DatabaseNotEmptyException;
import io.thermocline.common.exception.DatabaseNotExistException;
import io.thermocline.common.exception.TableAlreadyExistsException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.DataField;
import io.thermocline.flink.FlinkTypes;
import io.thermocline.flink.LakeAccess;
import io.thermocline.flink.source.ChangelogColumns;
import io.thermocline.flink.source.RowMetadata;
import io.thermocline.flink.table.ThermoclineTableFactory;

import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.AbstractCatalog;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogFunction;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogBaseTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.FunctionNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionNotExistException;
import org.apache.flink.table.catalog.stats.CatalogColumnStatistics;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.table.expressions.Expression;
import org.apache.flink.table.factories.Factory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * Thermocline's databases and tables as a Flink catalog: DDL goes to the coordinator, and tables
 * are read and written through {@link ThermoclineTableFactory}. Table options in Flink DDL are
 * Thermocline's ({@code table.*}, see docs/table-options.md) plus {@code bucket.num} and
 * {@code bucket.key}; {@code PARTITIONED BY} and {@code PRIMARY KEY ... NOT ENFORCED} map to
 * partition keys and the enforced primary key.
 */
public final class ThermoclineCatalog extends AbstractCatalog {
    public static final String BUCKET_NUM = "bucket.num";
    public static final String BUCKET_KEY = "bucket.key";
    public static final String REPLICATION_FACTOR = "replication.factor";

    /** The options given to the catalog; the lake's are added from the cluster at {@link #open()} when absent. */
    private final Map<String, String> clientOptions;
    private LakeTables lakeTables;
    private Connection connection;

    public ThermoclineCatalog(String name, String defaultDatabase, Map<String, String> clientOptions) {
        super(name, defaultDatabase);
        this.clientOptions = Map.copyOf(clientOptions);
    }

    /**
     * Connects. Union reads and {@code t$lake} read the lake catalog the cluster tiers into, asked
     * for each table read (which checks READ on it), under the catalog's own {@code lake.*} options.
     */
    @Override
    public void open() {
        connection = ConnectionFactory.create(new Configuration(clientOptions));
        lakeTables = new LakeTables(path -> LakeAccess.optionsFor(admin(), path, clientOptions));
    }

    @Override
    public void close() {
        if (lakeTables != null) {
            lakeTables.close();
        }
        if (connection != null) {
            connection.close();
        }
    }

    @Override
    public Optional<Factory> getFactory() {
        return Optional.of(new ThermoclineTableFactory(clientOptions, lakeTables));
    }

    /** The options a table of this catalog is read and written with: the catalog's own (lake options only if it names them). */
    public Map<String, String> clientOptions() {
        return clientOptions;
    }

    private Admin admin() {
        return connection.admin();
    }

    // ------------------------------------------------------------------ databases

    @Override
    public List<String> listDatabases() {
        return call(admin().listDatabases());
    }

    @Override
    public CatalogDatabase getDatabase(String name) throws org.apache.flink.table.catalog.exceptions.DatabaseNotExistException {
        if (!databaseExists(name)) {
            throw new org.apache.flink.table.catalog.exceptions.DatabaseNotExistException(getName(), name);
        }
        return new CatalogDatabaseImpl(Map.of(), null);
    }

    @Override
    public boolean databaseExists(String name) {
        return listDatabases().contains(name);
    }

    @Override
    public void createDatabase(String name, CatalogDatabase database, boolean ignoreIfExists)
            throws org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException {
        try {
            call(admin().createDatabase(name, database == null ? null : database.getComment(), ignoreIfExists));
        } catch (DatabaseAlreadyExistsException e) {
            throw new org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException(getName(), name, e);
        }
    }

    @Override
    public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade)
            throws org.apache.flink.table.catalog.exceptions.DatabaseNotExistException,
            org.apache.flink.table.catalog.exceptions.DatabaseNotEmptyException {
        try {
            call(admin().dropDatabase(name, ignoreIfNotExists, cascade));
        } catch (DatabaseNotExistException e) {
            throw new org.apache.flink.table.catalog.exceptions.DatabaseNotExistException(getName(), name, e);
        } catch (DatabaseNotEmptyException e) {
            throw new org.apache.flink.table.catalog.exceptions.DatabaseNotEmptyException(getName(), name, e);
        }
    }

    @Override
    public void alterDatabase(String name, CatalogDatabase newDatabase, boolean ignoreIfNotExists) {
        throw new CatalogException("Databases of catalog " + getName() + " have no properties to alter");
    }

    // ------------------------------------------------------------------ tables

    @Override
    public List<String> listTables(String database) throws org.apache.flink.table.catalog.exceptions.DatabaseNotExistException {
        try {
            return call(admin().listTables(database));
        } catch (DatabaseNotExistException e) {
            throw new org.apache.flink.table.catalog.exceptions.DatabaseNotExistException(getName(), database, e);
        }
    }

    @Override
    public List<String> listViews(String database) {
        return List.of();
    }

    /** Suffix of the changelog view of a table: {@code t$changelog}. */
    public static final String CHANGELOG_SUFFIX = "$changelog";
    /** Suffix of the Iceberg half of a table, {@code t$lake}, and of its metadata tables, {@code t$lake$snapshots}. */
    public static final String LAKE_SUFFIX = "$lake";
    /** Option marking a changelog view for the table factory. */
    public static final String READ_OPTION = "thermocline.read";

    @Override
    public CatalogBaseTable getTable(ObjectPath path) throws org.apache.flink.table.catalog.exceptions.TableNotExistException {
        String name = path.getObjectName();
        int dollar = name.indexOf('$');
        if (dollar > 0) {
            String suffix = name.substring(dollar);
            ObjectPath base = new ObjectPath(path.getDatabaseName(), name.substring(0, dollar));
            if (suffix.equals(CHANGELOG_SUFFIX)) {
                return changelogOf((CatalogTable) getTable(base));
            }
            if (suffix.equals(LAKE_SUFFIX) || suffix.startsWith(LAKE_SUFFIX + "$")) {
                CatalogBaseTable table = getTable(base);
                if (!"true".equals(table.getOptions().get(TableOptions.DATALAKE_ENABLED.key()))) {
                    throw new CatalogException("Table " + path.getFullName() + ": table " + base.getFullName()
                            + " has no lake; enable it with '" + TableOptions.DATALAKE_ENABLED.key() + "' = 'true'");
                }
                return lakeTables.get(base, suffix.equals(LAKE_SUFFIX) ? null : suffix.substring(LAKE_SUFFIX.length() + 1));
            }
            throw new CatalogException("Table " + path.getFullName() + ": unknown suffix '" + suffix + "'; known: "
                    + CHANGELOG_SUFFIX + ", " + LAKE_SUFFIX + ", " + LAKE_SUFFIX + "$snapshots (and Iceberg's other"
                    + " metadata tables)");
        }
        TableInfo info;
        try {
            info = call(admin().getTable(toPath(path)));
        } catch (TableNotExistException e) {
            throw new org.apache.flink.table.catalog.exceptions.TableNotExistException(getName(), path, e);
        }
        Map<String, String> options = new HashMap<>(info.options());
        options.put(BUCKET_NUM, Integer.toString(info.bucketCount()));
        if (!info.bucketKeys().isEmpty()) {
            options.put(BUCKET_KEY, String.join(",", info.bucketKeys()));
        }
        Optional<Schema> withComputedColumns = FlinkSchemaProperties.schema(options);
        FlinkSchemaProperties.remove(options);
        if (withComputedColumns.isPresent()) {
            Schema.Builder schema = Schema.newBuilder().fromSchema(withComputedColumns.get());
            declareIndexes(schema, info);
            return CatalogTable.newBuilder().schema(schema.build()).comment(info.comment())
                    .partitionKeys(info.partitionKeys()).options(options).build();
        }
        Schema.Builder schema = Schema.newBuilder();
        for (DataField field : info.schema().columns()) {
            schema.column(field.name(), org.apache.flink.table.types.utils.TypeConversions.fromLogicalToDataType(
                    FlinkTypes.toFlink(field.type())));
            if (field.description() != null) {
                schema.withComment(field.description());
            }
        }
        if (info.schema().hasPrimaryKey()) {
            schema.primaryKey(info.schema().primaryKey());
        }
        declareIndexes(schema, info);
        return CatalogTable.newBuilder().schema(schema.build()).comment(info.comment())
                .partitionKeys(info.partitionKeys()).options(options).build();
    }

    /**
     * The lookups a primary-key table serves, as Flink's planner reads them (delta joins): its
     * primary key, and its bucket key when that strictly leads the key (prefix lookups).
     */
    private static void declareIndexes(Schema.Builder schema, TableInfo info) {
        List<String> key = info.schema().primaryKey();
        if (key.isEmpty()) {
            return;
        }
        schema.index(key);
        List<String> bucketKey = info.bucketKeys();
        if (!bucketKey.isEmpty() && bucketKey.size() < key.size() && key.subList(0, bucketKey.size()).equals(bucketKey)) {
            schema.index(bucketKey);
        }
    }

    /**
     * The log of a table as an append-only table: {@code _change_type} (+I, -U, +U, -D),
     * {@code _log_offset} and {@code _commit_timestamp}, then the table's columns.
     */
    private static CatalogTable changelogOf(CatalogTable table) {
        Schema.Builder schema = Schema.newBuilder();
        ChangelogColumns.COLUMNS.forEach(schema::column);
        table.getUnresolvedSchema().getColumns().stream()
                .filter(column -> column instanceof Schema.UnresolvedPhysicalColumn)
                .forEach(column -> schema.column(column.getName(),
                        ((Schema.UnresolvedPhysicalColumn) column).getDataType()));
        Map<String, String> options = new HashMap<>(table.getOptions());
        options.put(READ_OPTION, "changelog");
        return CatalogTable.newBuilder().schema(schema.build()).comment(table.getComment()).options(options).build();
    }

    @Override
    public boolean tableExists(ObjectPath path) {
        try {
            getTable(path);
            return true;
        } catch (org.apache.flink.table.catalog.exceptions.TableNotExistException e) {
            return false;
        }
    }

    @Override
    public void createTable(ObjectPath path, CatalogBaseTable table, boolean ignoreIfExists)
            throws org.apache.flink.table.catalog.exceptions.TableAlreadyExistException,
            org.apache.flink.table.catalog.exceptions.DatabaseNotExistException {
        if (!(table instanceof ResolvedCatalogBaseTable) || table.getTableKind() != CatalogBaseTable.TableKind.TABLE) {
            throw new CatalogException("Catalog " + getName() + " holds tables only, not " + table.getTableKind());
        }
        ResolvedSchema resolved = ((ResolvedCatalogBaseTable<?>) table).getResolvedSchema();
        io.thermocline.common.schema.Schema.Builder schema = io.thermocline.common.schema.Schema.builder();
        for (Column column : resolved.getColumns()) {
            if (column instanceof Column.MetadataColumn) {
                String key = ((Column.MetadataColumn) column).getMetadataKey().orElse(column.getName());
                if (!RowMetadata.KEYS.containsKey(key)) {
                    throw new CatalogException("Table " + path.getFullName() + ": metadata column `" + column.getName()
                            + "` reads '" + key + "'; readable metadata: " + RowMetadata.KEYS.keySet());
                }
            }
            if (column.isPhysical()) {
                DataField field = field(column);
                schema.column(field.name(), field.type(), field.description());
            }
        }
        resolved.getPrimaryKey().ifPresent(pk -> schema.primaryKey(pk.getColumns()));
        Map<String, String> options = new HashMap<>(table.getOptions());
        options.putAll(FlinkSchemaProperties.of((ResolvedCatalogBaseTable<?>) table));
        String buckets = options.remove(BUCKET_NUM);
        String bucketKey = options.remove(BUCKET_KEY);
        String replication = options.remove(REPLICATION_FACTOR);
        options.remove("connector");
        TableDescriptor.Builder descriptor = TableDescriptor.builder(schema.build()).options(options)
                .comment(table.getComment());
        descriptor.buckets(buckets == null ? 0 : number(path, BUCKET_NUM, buckets), bucketKey == null ? new String[0]
                : Arrays.stream(bucketKey.split(",")).map(String::trim).toArray(String[]::new));
        if (replication != null) {
            descriptor.replicationFactor(number(path, REPLICATION_FACTOR, replication));
        }
        if (table instanceof CatalogTable && ((CatalogTable) table).isPartitioned()) {
            descriptor.partitionedBy(((CatalogTable) table).getPartitionKeys().toArray(new String[0]));
        }
        try {
            call(admin().createTable(toPath(path), descriptor.build(), ignoreIfExists));
        } catch (TableAlreadyExistsException e) {
            throw new org.apache.flink.table.catalog.exceptions.TableAlreadyExistException(getName(), path, e);
        } catch (DatabaseNotExistException e) {
            throw new org.apache.flink.table.catalog.exceptions.DatabaseNotExistException(getName(), path.getDatabaseName(),
                    e);
        }
    }

    @Override
    public void dropTable(ObjectPath path, boolean ignoreIfNotExists)
            throws org.apache.flink.table.catalog.exceptions.TableNotExistException {
        try {
            call(admin().dropTable(toPath(path), ignoreIfNotExists));
        } catch (TableNotExistException e) {
            throw new org.apache.flink.table.catalog.exceptions.TableNotExistException(getName(), path, e);
        }
    }

    /**
     * Options, computed columns and watermarks change: the new table's replace the old ones.
     * Physical columns can be added, nullable and at the end (ALTER TABLE ... ADD); the cluster
     * and the Iceberg table gain them in one change with the options.
     */
    @Override
    public void alterTable(ObjectPath path, CatalogBaseTable newTable, boolean ignoreIfNotExists)
            throws org.apache.flink.table.catalog.exceptions.TableNotExistException {
        TableInfo info;
        try {
            info = call(admin().getTable(toPath(path)));
        } catch (TableNotExistException e) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new org.apache.flink.table.catalog.exceptions.TableNotExistException(getName(), path, e);
        }
        if (!(newTable instanceof ResolvedCatalogBaseTable)) {
            throw new CatalogException("Catalog " + getName() + " alters resolved tables only");
        }
        ResolvedCatalogBaseTable<?> resolved = (ResolvedCatalogBaseTable<?>) newTable;
        List<DataField> added = addedColumns(path, info.schema(), resolved.getResolvedSchema());
        Map<String, String> stored = info.options();
        Map<String, String> wanted = new HashMap<>(newTable.getOptions());
        wanted.remove(BUCKET_NUM);
        wanted.remove(BUCKET_KEY);
        wanted.putAll(FlinkSchemaProperties.of(resolved));
        Map<String, String> set = new HashMap<>(wanted);
        set.entrySet().removeIf(e -> e.getValue().equals(stored.get(e.getKey())));
        java.util.Set<String> reset = stored.keySet().stream().filter(k -> !wanted.containsKey(k))
                .collect(Collectors.toSet());
        call(admin().alterTable(toPath(path), set, reset, added));
    }

    /**
     * The physical columns {@code altered} has after the cluster's: added ones. Any other change to
     * physical columns or the primary key is refused, naming the column.
     */
    private static List<DataField> addedColumns(ObjectPath path, io.thermocline.common.schema.Schema schema,
            ResolvedSchema altered) {
        List<Column> physical = altered.getColumns().stream().filter(Column::isPhysical).collect(Collectors.toList());
        String rule = "; physical columns can only be added, nullable and at the end (ALTER TABLE " + path.getFullName()
                + " ADD ...), and the primary key cannot change";
        List<DataField> existing = schema.columns();
        for (int i = 0; i < existing.size(); i++) {
            DataField before = existing.get(i);
            if (i >= physical.size() || !physical.get(i).getName().equals(before.name())) {
                throw new CatalogException("Table " + path.getFullName() + ": column `" + before.name()
                        + "` was dropped, renamed or moved" + rule);
            }
            DataField after = field(physical.get(i));
            if (!after.type().equals(before.type())) {
                throw new CatalogException("Table " + path.getFullName() + ": column `" + before.name() + "` would change"
                        + " from " + before.type() + " to " + after.type() + rule);
            }
        }
        List<String> key = altered.getPrimaryKey().map(UniqueConstraint::getColumns).orElse(List.of());
        if (!key.equals(schema.primaryKey())) {
            throw new CatalogException("Table " + path.getFullName() + ": the primary key would change from "
                    + schema.primaryKey() + " to " + key + rule);
        }
        return physical.subList(existing.size(), physical.size()).stream().map(ThermoclineCatalog::field)
                .collect(Collectors.toList());
    }

    private static DataField field(Column column) {
        return new DataField(column.getName(), FlinkTypes.fromFlink(column.getName(), column.getDataType().getLogicalType()),
                column.getComment().orElse(null));
    }

    @Override
    public void renameTable(ObjectPath path, String newName, boolean ignoreIfNotExists) {
        throw new CatalogException("Tables of catalog " + getName() + " cannot be renamed yet");
    }

    // ------------------------------------------------------------------ partitions

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path)
            throws org.apache.flink.table.catalog.exceptions.TableNotExistException {
        String name = path.getObjectName();
        int dollar = name.indexOf('$');
        if (dollar > 0) { // views: the changelog has the table's partitions, the lake its Iceberg table's
            ObjectPath base = new ObjectPath(path.getDatabaseName(), name.substring(0, dollar));
            String suffix = name.substring(dollar);
            getTable(path); // an unknown view is an error naming it
            return suffix.equals(CHANGELOG_SUFFIX) ? listPartitions(base)
                    : suffix.equals(LAKE_SUFFIX) ? lakeTables.partitions(base) : List.of();
        }
        try {
            return call(admin().listPartitions(toPath(path))).stream()
                    .map(p -> new CatalogPartitionSpec(new java.util.LinkedHashMap<>(p.spec())))
                    .collect(Collectors.toList());
        } catch (TableNotExistException e) {
            throw new org.apache.flink.table.catalog.exceptions.TableNotExistException(getName(), path, e);
        }
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path, CatalogPartitionSpec spec)
            throws org.apache.flink.table.catalog.exceptions.TableNotExistException {
        List<CatalogPartitionSpec> matching = new ArrayList<>();
        for (CatalogPartitionSpec partition : listPartitions(path)) {
            if (partition.getPartitionSpec().entrySet().containsAll(spec.getPartitionSpec().entrySet())) {
                matching.add(partition);
            }
        }
        return matching;
    }

    @Override
    public List<CatalogPartitionSpec> listPartitionsByFilter(ObjectPath path, List<Expression> filters) {
        throw new UnsupportedOperationException("Partition listing by filter is done by the source's pushdown");
    }

    @Override
    public CatalogPartition getPartition(ObjectPath path, CatalogPartitionSpec spec) throws PartitionNotExistException {
        try {
            if (partitionExists(path, spec)) {
                return new org.apache.flink.table.catalog.CatalogPartitionImpl(Map.of(), null);
            }
        } catch (CatalogException e) {
            // fall through
        }
        throw new PartitionNotExistException(getName(), path, spec);
    }

    @Override
    public boolean partitionExists(ObjectPath path, CatalogPartitionSpec spec) {
        try {
            return listPartitions(path).stream().anyMatch(p -> p.equals(spec));
        } catch (org.apache.flink.table.catalog.exceptions.TableNotExistException e) {
            return false;
        }
    }

    @Override
    public void createPartition(ObjectPath path, CatalogPartitionSpec spec, CatalogPartition partition,
            boolean ignoreIfExists) {
        call(admin().createPartition(toPath(path), spec.getPartitionSpec(), ignoreIfExists));
    }

    @Override
    public void dropPartition(ObjectPath path, CatalogPartitionSpec spec, boolean ignoreIfNotExists) {
        call(admin().dropPartition(toPath(path), spec.getPartitionSpec(), ignoreIfNotExists));
    }

    @Override
    public void alterPartition(ObjectPath path, CatalogPartitionSpec spec, CatalogPartition newPartition,
            boolean ignoreIfNotExists) {
        throw new CatalogException("Partitions of catalog " + getName() + " have no properties to alter");
    }

    // ------------------------------------------------------------------ functions and statistics: none

    @Override
    public List<String> listFunctions(String database) {
        return List.of();
    }

    @Override
    public CatalogFunction getFunction(ObjectPath path) throws FunctionNotExistException {
        throw new FunctionNotExistException(getName(), path);
    }

    @Override
    public boolean functionExists(ObjectPath path) {
        return false;
    }

    @Override
    public void createFunction(ObjectPath path, CatalogFunction function, boolean ignoreIfExists) {
        throw new CatalogException("Catalog " + getName() + " holds no functions");
    }

    @Override
    public void alterFunction(ObjectPath path, CatalogFunction function, boolean ignoreIfNotExists) {
        throw new CatalogException("Catalog " + getName() + " holds no functions");
    }

    @Override
    public void dropFunction(ObjectPath path, boolean ignoreIfNotExists) {
        throw new CatalogException("Catalog " + getName() + " holds no functions");
    }

    /**
     * The row count of a log table without a lake, from its buckets' offsets (the rows the hot tier
     * keeps): cheap and exact. Unknown for primary-key tables (their log counts changes, not rows),
     * lake-enabled tables and views.
     */
    @Override
    public CatalogTableStatistics getTableStatistics(ObjectPath path) {
        if (path.getObjectName().contains("$")) {
            return CatalogTableStatistics.UNKNOWN;
        }
        TableInfo info;
        try {
            info = call(admin().getTable(toPath(path)));
        } catch (TableNotExistException e) {
            return CatalogTableStatistics.UNKNOWN;
        }
        if (info.schema().hasPrimaryKey() || new Configuration(info.options()).get(TableOptions.DATALAKE_ENABLED)) {
            return CatalogTableStatistics.UNKNOWN;
        }
        List<Integer> buckets = java.util.stream.IntStream.range(0, info.bucketCount()).boxed()
                .collect(Collectors.toList());
        List<Long> partitions = info.isPartitioned()
                ? call(admin().listPartitions(toPath(path))).stream().map(p -> p.partitionId())
                        .collect(Collectors.toList())
                : List.of(io.thermocline.common.metadata.TableBucket.NO_PARTITION);
        long rows = 0;
        for (long partition : partitions) {
            Map<Integer, Long> earliest = call(admin().listOffsets(toPath(path), partition, buckets,
                    io.thermocline.client.api.OffsetSpec.earliest()));
            Map<Integer, Long> latest = call(admin().listOffsets(toPath(path), partition, buckets,
                    io.thermocline.client.api.OffsetSpec.latest()));
            for (int bucket : buckets) {
                rows += latest.get(bucket) - earliest.get(bucket);
            }
        }
        return new CatalogTableStatistics(rows, -1, -1, -1);
    }

    @Override
    public CatalogColumnStatistics getTableColumnStatistics(ObjectPath path) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public CatalogTableStatistics getPartitionStatistics(ObjectPath path, CatalogPartitionSpec spec) {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getPartitionColumnStatistics(ObjectPath path, CatalogPartitionSpec spec) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public void alterTableStatistics(ObjectPath path, CatalogTableStatistics statistics, boolean ignoreIfNotExists) {
        throw new CatalogException("Statistics of catalog " + getName() + " are not stored");
    }

    @Override
    public void alterTableColumnStatistics(ObjectPath path, CatalogColumnStatistics statistics, boolean ignoreIfNotExists) {
        throw new CatalogException("Statistics of catalog " + getName() + " are not stored");
    }

    @Override
    public void alterPartitionStatistics(ObjectPath path, CatalogPartitionSpec spec, CatalogTableStatistics statistics,
            boolean ignoreIfNotExists) {
        throw new CatalogException("Statistics of catalog " + getName() + " are not stored");
    }

    @Override
    public void alterPartitionColumnStatistics(ObjectPath path, CatalogPartitionSpec spec,
            CatalogColumnStatistics statistics, boolean ignoreIfNotExists) {
        throw new CatalogException("Statistics of catalog " + getName() + " are not stored");
    }

    // ------------------------------------------------------------------ helpers

    private static int number(ObjectPath path, String option, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CatalogException("Table " + path.getFullName() + ": option '" + option + "' must be a number, not '"
                    + value + "'");
        }
    }

    static TablePath toPath(ObjectPath path) {
        return TablePath.of(path.getDatabaseName(), path.getObjectName());
    }

    /** Waits for a cluster call; its typed errors come through unwrapped, others as {@link CatalogException}. */
    private static <T> T call(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApiException) {
                throw (ApiException) cause;
            }
            throw new CatalogException(String.valueOf(cause == null ? e : cause.getMessage()), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException("Interrupted", e);
        }
    }
}

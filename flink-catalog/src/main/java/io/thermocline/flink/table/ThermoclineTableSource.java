package io.thermocline.flink.table;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.PartitionInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.lookup.LookupKeys;
import io.thermocline.flink.FlinkTypes;
import io.thermocline.flink.lookup.LookupProviders;
import io.thermocline.flink.lookup.PointLookup;
import io.thermocline.flink.source.RowMetadata;
import io.thermocline.flink.source.CommitTimeRange;
import io.thermocline.flink.source.StartupMode;
import io.thermocline.flink.source.ThermoclineSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsLimitPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsPartitionPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.types.DataType;
import org.apache.iceberg.flink.FlinkFilters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a table: the rows of a log table, the changelog of a primary-key table (as Flink row
 * kinds), or in batch mode a primary-key table's current rows; a full read of a lake-enabled
 * table is a union read. Projection is pushed to the servers (only the chosen columns leave
 * them), partition filters prune partitions, limits stop readers early. Primary-key tables serve
 * lookup joins from their KV tablets.
 */
final class ThermoclineTableSource implements ScanTableSource, LookupTableSource, SupportsProjectionPushDown,
        SupportsPartitionPushDown, SupportsLimitPushDown, SupportsFilterPushDown, SupportsReadingMetadata,
        SupportsWatermarkPushDown, ServableSource {
    private final Map<String, String> clientOptions;
    private final TablePath path;
    private final RowType rowType;
    private final int[] primaryKey;
    private final int[] bucketKey;
    private final boolean partitioned;
    private final StartupMode startupMode;
    private final long startupTimestamp;
    private final boolean bounded;
    /** A changelog view: the log's rows with their change type, offset and commit time, append-only. */
    private final boolean changelog;
    /** The table's options, for the lookup options ({@code lookup.async}, {@code lookup.cache}). */
    private final ReadableConfig options;
    /** More keys than this are read by a scan. */
    private static final int MAX_POINT_KEYS = 10_000;
    private int[] projection;
    /** The partitions left after pruning (their specs), or null for all. */
    private List<Map<String, String>> partitions;
    private long limit = -1;
    /** The filters Iceberg can evaluate, for the lake half of a union read; null for none. */
    private org.apache.iceberg.expressions.Expression lakeFilter;
    /** Null: every commit time. */
    private CommitTimeRange commitTimes;
    /** The name the query gives the commit_timestamp metadata column; null when it reads none. */
    private String commitTimeColumn;
    /** The table's watermark, generated in the source per bucket; null without one. */
    private WatermarkStrategy<RowData> watermarkStrategy;
    /** Metadata columns the query reads ({@link RowMetadata} keys), appended after the columns. */
    private List<String> metadata = List.of();
    /** Set when a batch read's filters fix the whole primary key to a few keys: each key's literals, in key order. */
    private List<List<ValueLiteralExpression>> pointKeys;
    /** In a batch read of a primary-key table, the columns one filter fixes to a few values. */
    private Map<Integer, List<ValueLiteralExpression>> fixedColumns = Map.of();

    ThermoclineTableSource(Map<String, String> clientOptions, TablePath path, RowType rowType, int[] primaryKey,
            int[] bucketKey, boolean partitioned, StartupMode startupMode, long startupTimestamp, boolean bounded,
            boolean changelog, ReadableConfig options) {
        this.clientOptions = clientOptions;
        this.path = path;
        this.rowType = rowType;
        this.primaryKey = primaryKey;
        this.bucketKey = bucketKey;
        this.partitioned = partitioned;
        this.startupMode = startupMode;
        this.startupTimestamp = startupTimestamp;
        this.bounded = bounded;
        this.changelog = changelog;
        this.options = options;
    }

    /**
     * A batch read of a primary-key table yields its current rows; a streaming one its changelog,
     * which holds inserts only for a first-row table that ignores or refuses deletes (what a delta
     * join needs of its inputs on Flink 2.1).
     */
    @Override
    public ChangelogMode getChangelogMode() {
        return primaryKey != null && !bounded && !changelog && !logsInsertsOnly() ? ChangelogMode.all()
                : ChangelogMode.insertOnly();
    }

    private boolean logsInsertsOnly() {
        Configuration table = new Configuration(options.toMap());
        return table.get(TableOptions.MERGE_ENGINE) == TableOptions.MergeEngine.FIRST_ROW
                && TableOptions.deleteBehavior(table) != TableOptions.DeleteBehavior.ALLOW;
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        if (pointKeys != null && metadata.isEmpty()) { // lookups know no offsets or commit times
            return pointLookup(context);
        }
        ThermoclineSource.Builder source = ThermoclineSource.builder().clientOptions(clientOptions).table(path)
                .schema(rowType, primaryKey).startupMode(startupMode).bounded(bounded).changelogView(changelog)
                .projection(projection).limit(limit).metadata(metadata).lakeFilter(lakeFilter).commitTimes(commitTimes)
                .partitionDiscoveryInterval(options.get(ThermoclineTableFactory.PARTITION_DISCOVERY_INTERVAL));
        if (startupMode == StartupMode.TIMESTAMP) {
            source.startupTimestamp(startupTimestamp);
        }
        if (partitions != null) {
            source.partitions(partitionIds());
        }
        ThermoclineSource built = source.build();
        WatermarkStrategy<RowData> watermarks = watermarkStrategy == null ? WatermarkStrategy.noWatermarks()
                : watermarkStrategy;
        return new DataStreamScanProvider() {
            @Override
            public DataStream<RowData> produceDataStream(ProviderContext provider, StreamExecutionEnvironment env) {
                DataStreamSource<RowData> stream = env.fromSource(built, watermarks, "Thermocline " + path);
                provider.generateUid("source").ifPresent(stream::uid);
                return stream;
            }

            @Override
            public boolean isBounded() {
                return bounded;
            }
        };
    }

    private List<Long> partitionIds() {
        try (Connection connection = ConnectionFactory.create(new Configuration(clientOptions))) {
            List<Long> ids = new ArrayList<>();
            for (PartitionInfo partition : connection.admin().listPartitions(path).join()) {
                if (partitions.contains(partition.spec())) {
                    ids.add(partition.partitionId());
                }
            }
            return ids;
        }
    }

    /** KV lookups of the keys the filters fix (batched per server), instead of a scan. */
    private ScanRuntimeProvider pointLookup(ScanContext context) {
        List<List<Object>> values = new ArrayList<>();
        List<DataType> types = new ArrayList<>();
        for (ValueLiteralExpression literal : pointKeys.get(0)) {
            types.add(literal.getOutputDataType());
        }
        for (List<ValueLiteralExpression> key : pointKeys) {
            List<Object> keyValues = new ArrayList<>();
            for (ValueLiteralExpression literal : key) {
                keyValues.add(literal.getValueAs(literal.getOutputDataType().getConversionClass()).orElseThrow());
            }
            values.add(keyValues);
        }
        PointLookup lookup = new PointLookup(clientOptions, path, rowType, primaryKey, values, types, projection);
        RowType produced = projection == null ? rowType : rowType.project(projection);
        TypeInformation<RowData> type = context.createTypeInformation(FlinkTypes.toFlink(produced));
        return new DataStreamScanProvider() {
            @Override
            public DataStream<RowData> produceDataStream(ProviderContext provider, StreamExecutionEnvironment env) {
                return env.fromData(0).flatMap(lookup).returns(type).name("Lookup " + path).setParallelism(1);
            }

            @Override
            public boolean isBounded() {
                return true;
            }
        };
    }

    /**
     * In a batch read of a primary-key table, filters fixing every key column to a few values
     * ({@code =}, {@code IN}, ORs of equalities) turn the scan into KV lookups of those keys, up to
     * {@link #MAX_POINT_KEYS}. Comparisons of the commit time with constants become a commit-time
     * range: a union read skips the tier (or part of the hot tier) that cannot hold such rows.
     * Filters on physical columns reach the lake half. Every filter is still applied after the read.
     */
    @Override
    public Result applyFilters(List<ResolvedExpression> filters) {
        java.util.Set<ResolvedExpression> accepted = new java.util.LinkedHashSet<>();
        for (ResolvedExpression filter : filters) {
            CommitTimeFilters.range(filter, commitTimeColumn).ifPresent(range -> {
                commitTimes = commitTimes == null ? range : commitTimes.intersect(range);
                accepted.add(filter);
            });
        }
        if (!changelog) {
            // The lake half of a union read skips files and rows by them (the hot changes of a
            // key still replace its lake row, and Flink applies every filter again after the read).
            for (ResolvedExpression filter : filters) {
                if (!CommitTimeFilters.columns(filter).stream().allMatch(rowType.fieldNames()::contains)) {
                    continue; // metadata columns are not Iceberg columns
                }
                java.util.Optional<org.apache.iceberg.expressions.Expression> iceberg = FlinkFilters.convert(filter);
                if (iceberg.isPresent()) {
                    lakeFilter = lakeFilter == null ? iceberg.get()
                            : org.apache.iceberg.expressions.Expressions.and(lakeFilter, iceberg.get());
                    accepted.add(filter);
                }
            }
        }
        if (bounded && primaryKey != null && !changelog) {
            Map<Integer, KeyEquality> fixed = new java.util.HashMap<>();
            Map<Integer, ResolvedExpression> byColumn = new java.util.HashMap<>();
            java.util.Set<Integer> fixedTwice = new java.util.HashSet<>();
            for (ResolvedExpression filter : filters) {
                KeyEquality.of(filter, rowType).ifPresent(equality -> {
                    if (fixed.put(equality.column(), equality) != null) {
                        fixedTwice.add(equality.column());
                    }
                    byColumn.put(equality.column(), filter);
                });
            }
            Map<Integer, List<ValueLiteralExpression>> once = new java.util.HashMap<>();
            fixed.forEach((column, equality) -> {
                if (!fixedTwice.contains(column)) {
                    once.put(column, List.copyOf(equality.literals()));
                }
            });
            fixedColumns = Map.copyOf(once);
            if (Arrays.stream(primaryKey).allMatch(fixed::containsKey)) {
                List<List<ValueLiteralExpression>> keys = List.of(List.of());
                for (int column : primaryKey) {
                    List<List<ValueLiteralExpression>> longer = new ArrayList<>();
                    for (List<ValueLiteralExpression> key : keys) {
                        for (ValueLiteralExpression literal : fixed.get(column).literals()) {
                            List<ValueLiteralExpression> next = new ArrayList<>(key);
                            next.add(literal);
                            longer.add(next);
                        }
                    }
                    keys = longer;
                }
                keys = new ArrayList<>(new java.util.LinkedHashSet<>(keys)); // IN (1, 1) looks 1 up once
                if (keys.size() <= MAX_POINT_KEYS) {
                    pointKeys = keys;
                    Arrays.stream(primaryKey).forEach(column -> accepted.add(byColumn.get(column)));
                }
            }
        }
        return Result.of(new ArrayList<>(accepted), filters);
    }

    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        if (primaryKey == null || changelog) {
            throw new ValidationException("Lookup join on " + path + (changelog ? "$changelog" : "")
                    + ": only primary-key tables can be looked up");
        }
        int[] joinColumns = Arrays.stream(context.getKeys()).mapToInt(key -> {
            if (key.length > 1) {
                throw new ValidationException("Lookup join on " + path + ": nested join keys are not supported");
            }
            return key[0];
        }).toArray();
        // Flink numbers the join keys among the projected columns when a projection was pushed.
        if (projection != null) {
            joinColumns = Arrays.stream(joinColumns).map(i -> projection[i]).toArray();
        }
        LookupKeys keys = LookupKeys.of(path, rowType.fieldNames(), joinColumns, primaryKey, bucketKey);
        return LookupProviders.create(clientOptions, path, rowType, keys, projection, options);
    }

    @Override
    public void applyWatermark(WatermarkStrategy<RowData> watermarkStrategy) {
        this.watermarkStrategy = watermarkStrategy;
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        return changelog ? Map.of() : RowMetadata.KEYS;
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        this.metadata = List.copyOf(metadataKeys);
        // Metadata columns come last in the produced type, under the names the query uses.
        List<String> names = DataType.getFieldNames(producedDataType);
        int commit = metadataKeys.indexOf(RowMetadata.COMMIT_TIMESTAMP);
        commitTimeColumn = commit < 0 ? null : names.get(names.size() - metadataKeys.size() + commit);
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projectedFields, DataType producedDataType) {
        projection = Arrays.stream(projectedFields).mapToInt(f -> f[0]).toArray();
    }

    @Override
    public Optional<List<Map<String, String>>> listPartitions() {
        return Optional.empty(); // the catalog lists them
    }

    @Override
    public void applyPartitions(List<Map<String, String>> remainingPartitions) {
        if (partitioned) {
            partitions = List.copyOf(remainingPartitions);
        }
    }

    /**
     * The STRING partition columns a partition filter fixed, to the values of the partitions it
     * left: only when it left some of the partitions that exist, so that a query without such a
     * filter does not read as one that names today's partitions.
     */
    private Map<Integer, List<ValueLiteralExpression>> fixedByPartitions(List<Map<String, String>> remaining) {
        if (remaining == null) {
            return Map.of(); // no partition filter, or no partitions
        }
        List<String> keys;
        int all;
        try (Connection connection = ConnectionFactory.create(new Configuration(clientOptions))) {
            keys = connection.admin().getTable(path).join().partitionKeys();
            all = connection.admin().listPartitions(path).join().size();
        }
        if (remaining.size() >= all) {
            return Map.of();
        }
        Map<Integer, List<ValueLiteralExpression>> fixed = new java.util.HashMap<>();
        for (String key : keys) {
            int column = rowType.fieldIndex(key);
            if (column < 0 || rowType.typeAt(column).root() != io.thermocline.common.types.DataTypeRoot.STRING) {
                continue;
            }
            fixed.put(column, remaining.stream().map(spec -> spec.get(key)).distinct()
                    .map(value -> new ValueLiteralExpression(value, org.apache.flink.table.api.DataTypes.STRING()
                            .notNull())).toList());
        }
        return Map.copyOf(fixed);
    }

    @Override
    public void applyLimit(long limit) {
        this.limit = limit;
    }

    @Override
    public DynamicTableSource copy() {
        ThermoclineTableSource copy = new ThermoclineTableSource(clientOptions, path, rowType, primaryKey, bucketKey,
                partitioned, startupMode, startupTimestamp, bounded, changelog, options);
        copy.projection = projection;
        copy.partitions = partitions;
        copy.limit = limit;
        copy.metadata = metadata;
        copy.lakeFilter = lakeFilter;
        copy.watermarkStrategy = watermarkStrategy;
        copy.pointKeys = pointKeys;
        copy.fixedColumns = fixedColumns;
        copy.commitTimes = commitTimes;
        copy.commitTimeColumn = commitTimeColumn;
        return copy;
    }

    @Override
    public Optional<ServableRead> servableRead() {
        if (!bounded || primaryKey == null || changelog || limit >= 0 || !metadata.isEmpty()) {
            return Optional.empty();
        }
        // Asked of the gateway's plans only: it costs a look at the table's partitions.
        Map<Integer, List<ValueLiteralExpression>> fixed = new java.util.HashMap<>(fixedByPartitions(partitions));
        fixed.putAll(fixedColumns);
        return Optional.of(new ServableRead(path, rowType, primaryKey.clone(), bucketKey.clone(),
                projection == null ? null : projection.clone(), Map.copyOf(fixed)));
    }

    @Override
    public Optional<ServableScan> servableScan() {
        if (!bounded || primaryKey != null || changelog || partitioned) {
            return Optional.empty();
        }
        return Optional.of(new ServableScan(path, rowType, projection == null ? null : projection.clone(), metadata));
    }

    @Override
    public String asSummaryString() {
        return "Thermocline " + path + (projection == null ? "" : " project " + Arrays.toString(projection))
                + (partitions == null ? "" : " partitions " + partitions) + (limit < 0 ? "" : " limit " + limit)
                + (pointKeys == null ? "" : " lookup " + pointKeys.size() + " keys");
    }
}

package io.thermocline.flink.source;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;

import io.thermocline.flink.FlinkTypes;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A FLIP-27 source over a table: one split per bucket (and partition), offsets in checkpoints
 * (exactly once on restore), rows with the row kind of their change and their commit time as
 * event time. Built with {@link #builder()}:
 *
 * <pre>{@code
 * ThermoclineSource source = ThermoclineSource.builder()
 *         .bootstrapServers("host:9123").table("shop", "orders")
 *         .startupMode(StartupMode.LATEST).project("id", "amount").build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders");
 * }</pre>
 *
 * <p>A bounded read stops at the high watermarks of its start; for a primary-key table it yields
 * the current rows (the lake's rows and the changelog after them merged per key). A
 * {@link StartupMode#FULL} read of a lake-enabled table starts with its newest lake snapshot.
 */
public final class ThermoclineSource implements Source<RowData, BucketSplit, EnumeratorState>,
        ResultTypeQueryable<RowData> {
    private static final long serialVersionUID = 1L;

    final Map<String, String> clientOptions;
    final TablePath path;
    /** The table's columns. */
    final RowType rowType;
    /** The primary-key columns' positions, or null for a log table. */
    final int[] primaryKey;
    final StartupMode startupMode;
    final long startupTimestamp;
    final boolean bounded;
    /** The emitted columns: positions in the table's columns (or, for the changelog view, in its columns). */
    final int[] projection;
    /** Emits the changelog view: change type, offset and commit time in front, append-only. */
    final boolean changelogView;
    /** The partitions to read, by id, or null for all. */
    final List<Long> partitions;
    /** Stop after this many rows per reader, or -1. */
    final long limit;
    /** How often a streaming read of a partitioned table looks for new partitions. */
    final long discoveryIntervalMs;
    /** Metadata appended to each emitted row ({@link RowMetadata} keys), after its columns. */
    final List<String> metadata;
    /** Rows the lake half may skip are those this Iceberg filter rejects; null for none. */
    final org.apache.iceberg.expressions.Expression lakeFilter;
    /** Null: every commit time. */
    final CommitTimeRange commitTimes;

    private ThermoclineSource(Builder builder) {
        this.clientOptions = Map.copyOf(builder.clientOptions);
        this.path = builder.path;
        this.rowType = builder.rowType;
        this.primaryKey = builder.primaryKey;
        this.startupMode = builder.startupMode;
        this.startupTimestamp = builder.startupTimestamp;
        this.bounded = builder.bounded;
        this.projection = builder.projection;
        this.changelogView = builder.changelogView;
        this.partitions = builder.partitions == null ? null : List.copyOf(builder.partitions);
        this.limit = builder.limit;
        this.discoveryIntervalMs = builder.discoveryIntervalMs;
        this.metadata = List.copyOf(builder.metadata);
        this.lakeFilter = builder.lakeFilter;
        this.commitTimes = builder.commitTimes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether bounded reads merge rows per key into the current state (primary-key tables, not the changelog view). */
    boolean merges() {
        return bounded && primaryKey != null && !changelogView;
    }

    /**
     * The columns the servers send: all when rows are merged or viewed as a changelog, else the
     * projection (the first column when it is empty: a read of metadata only).
     */
    int[] readColumns() {
        if (merges() || changelogView) {
            return null;
        }
        return projection != null && projection.length == 0 ? new int[] {0} : projection;
    }

    RowType readType() {
        int[] columns = readColumns();
        return columns == null ? rowType : rowType.project(columns);
    }

    /** The emitted rows' type, so that DataStream jobs serialize them as Flink's internal rows. */
    @Override
    public TypeInformation<RowData> getProducedType() {
        List<org.apache.flink.table.types.logical.LogicalType> types = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        if (changelogView) {
            for (Map.Entry<String, org.apache.flink.table.types.DataType> column
                    : ChangelogColumns.COLUMNS.entrySet()) {
                types.add(column.getValue().getLogicalType());
                names.add(column.getKey());
            }
        }
        for (org.apache.flink.table.types.logical.RowType.RowField field : FlinkTypes.toFlink(rowType).getFields()) {
            types.add(field.getType());
            names.add(field.getName());
        }
        if (projection != null) {
            List<org.apache.flink.table.types.logical.LogicalType> projectedTypes = new java.util.ArrayList<>();
            List<String> projectedNames = new java.util.ArrayList<>();
            for (int column : projection) {
                projectedTypes.add(types.get(column));
                projectedNames.add(names.get(column));
            }
            types = projectedTypes;
            names = projectedNames;
        }
        for (String key : metadata) {
            types.add(RowMetadata.KEYS.get(key).getLogicalType());
            names.add(key);
        }
        return InternalTypeInfo.of(org.apache.flink.table.types.logical.RowType.of(
                types.toArray(new org.apache.flink.table.types.logical.LogicalType[0]), names.toArray(new String[0])));
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RowData, BucketSplit> createReader(SourceReaderContext context) {
        return new BucketSplitReader(context, this);
    }

    @Override
    public SplitEnumerator<BucketSplit, EnumeratorState> createEnumerator(SplitEnumeratorContext<BucketSplit> context) {
        return new BucketSplitEnumerator(context, this, EnumeratorState.INITIAL);
    }

    @Override
    public SplitEnumerator<BucketSplit, EnumeratorState> restoreEnumerator(SplitEnumeratorContext<BucketSplit> context,
            EnumeratorState restored) {
        return new BucketSplitEnumerator(context, this, restored);
    }

    @Override
    public SimpleVersionedSerializer<BucketSplit> getSplitSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(BucketSplit split) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    out.writeLong(split.partitionId);
                    out.writeInt(split.bucket);
                    out.writeLong(split.startOffset);
                    out.writeLong(split.stopOffset);
                    out.writeLong(split.lakeSnapshotId);
                }
                return bytes.toByteArray();
            }

            @Override
            public BucketSplit deserialize(int version, byte[] serialized) throws IOException {
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                    return BucketSplit.of(in.readLong(), in.readInt(), in.readLong(), in.readLong(), in.readLong());
                }
            }
        };
    }

    @Override
    public SimpleVersionedSerializer<EnumeratorState> getEnumeratorCheckpointSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 2;
            }

            @Override
            public byte[] serialize(EnumeratorState state) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    out.writeBoolean(state.assigned());
                    out.writeInt(state.partitions().size());
                    for (long partition : state.partitions()) {
                        out.writeLong(partition);
                    }
                }
                return bytes.toByteArray();
            }

            @Override
            public EnumeratorState deserialize(int version, byte[] serialized) throws IOException {
                if (version != 2) {
                    throw new IOException("Unknown enumerator state version " + version);
                }
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                    boolean assigned = in.readBoolean();
                    java.util.Set<Long> partitions = new java.util.HashSet<>();
                    for (int i = in.readInt(); i > 0; i--) {
                        partitions.add(in.readLong());
                    }
                    return new EnumeratorState(assigned, partitions);
                }
            }
        };
    }

    @Override
    public String toString() {
        return "ThermoclineSource{" + path + ", " + startupMode + (bounded ? ", bounded" : "")
                + (projection == null ? "" : ", project " + Arrays.toString(projection))
                + (partitions == null ? "" : ", partitions " + partitions)
                + (limit < 0 ? "" : ", limit " + limit) + "}";
    }

    /** Builds a {@link ThermoclineSource}; only the servers and the table are required. */
    public static final class Builder {
        private final Map<String, String> clientOptions = new HashMap<>();
        private TablePath path;
        private RowType rowType;
        private int[] primaryKey;
        private boolean schemaGiven;
        private StartupMode startupMode = StartupMode.FULL;
        private long startupTimestamp = -1;
        private boolean bounded;
        private int[] projection;
        private String[] projectedNames;
        private boolean changelogView;
        private List<Long> partitions;
        private long limit = -1;
        private long discoveryIntervalMs = 10_000;
        private List<String> metadata = List.of();
        private org.apache.iceberg.expressions.Expression lakeFilter;
        private CommitTimeRange commitTimes;

        private Builder() {}

        public Builder bootstrapServers(String servers) {
            clientOptions.put("bootstrap.servers", servers);
            return this;
        }

        /** Client options (as for {@code ConnectionFactory}), e.g. security settings. */
        public Builder clientOptions(Map<String, String> options) {
            clientOptions.putAll(options);
            return this;
        }

        public Builder table(String database, String table) {
            return table(TablePath.of(database, table));
        }

        public Builder table(TablePath path) {
            this.path = path;
            return this;
        }

        /** The table's columns and key, when the caller knows them; otherwise they are fetched at {@link #build()}. */
        public Builder schema(RowType rowType, int[] primaryKey) {
            this.rowType = rowType;
            this.primaryKey = primaryKey;
            this.schemaGiven = true;
            return this;
        }

        public Builder startupMode(StartupMode mode) {
            this.startupMode = Objects.requireNonNull(mode);
            return this;
        }

        /** Starts every bucket at the first row committed at or after {@code epochMillis}. */
        public Builder startupTimestamp(long epochMillis) {
            this.startupMode = StartupMode.TIMESTAMP;
            this.startupTimestamp = epochMillis;
            return this;
        }

        /** Stops at the high watermarks of the read's start. */
        public Builder bounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        /** Emits only these columns, in this order; only they leave the servers where rows need not be merged. */
        public Builder project(String... columns) {
            this.projectedNames = columns;
            this.projection = null;
            return this;
        }

        public Builder projection(int[] columns) {
            this.projection = columns;
            this.projectedNames = null;
            return this;
        }

        /** Reads the changelog view: {@code _change_type}, {@code _log_offset}, {@code _commit_timestamp}, columns. */
        public Builder changelogView(boolean changelogView) {
            this.changelogView = changelogView;
            return this;
        }

        /** Reads only these partitions (by id), for partitioned tables. */
        public Builder partitions(List<Long> partitionIds) {
            this.partitions = partitionIds;
            return this;
        }

        /** Stops a bounded read once each reader has emitted {@code rows} rows. */
        public Builder limit(long rows) {
            this.limit = rows;
            return this;
        }

        /** How often a streaming read of a partitioned table looks for new partitions (default 10 s). */
        public Builder partitionDiscoveryInterval(java.time.Duration interval) {
            this.discoveryIntervalMs = interval.toMillis();
            return this;
        }

        /**
         * Appends metadata to each row, after its columns: {@code commit_timestamp}
         * (TIMESTAMP_LTZ(3)), {@code offset} (BIGINT), {@code bucket} (INT).
         */
        public Builder metadata(List<String> keys) {
            for (String key : keys) {
                if (!RowMetadata.KEYS.containsKey(key)) {
                    throw new IllegalArgumentException("ThermoclineSource: no metadata '" + key + "'; readable: "
                            + RowMetadata.KEYS.keySet());
                }
            }
            this.metadata = keys;
            return this;
        }

        /**
         * A filter for the lake half of a union read (Iceberg prunes files and rows by it). The
         * read may still return rows it rejects: apply the filter after the read too.
         */
        /**
         * Leaves out what was committed outside {@code range} where a tier cannot hold it (the
         * read may still return such rows: filter them after it).
         */
        public Builder commitTimes(CommitTimeRange range) {
            this.commitTimes = range;
            return this;
        }

        public Builder lakeFilter(org.apache.iceberg.expressions.Expression filter) {
            this.lakeFilter = filter;
            return this;
        }

        public ThermoclineSource build() {
            if (!clientOptions.containsKey("bootstrap.servers")) {
                throw new IllegalArgumentException("ThermoclineSource: bootstrapServers is required");
            }
            if (path == null) {
                throw new IllegalArgumentException("ThermoclineSource: table is required");
            }
            if (startupMode == StartupMode.TIMESTAMP && startupTimestamp < 0) {
                throw new IllegalArgumentException("ThermoclineSource of " + path + ": startup mode TIMESTAMP needs"
                        + " startupTimestamp(epochMillis)");
            }
            if (!schemaGiven) {
                try (Connection connection = ConnectionFactory.create(new Configuration(clientOptions))) {
                    TableInfo info = connection.admin().getTable(path).join();
                    rowType = info.schema().rowType();
                    primaryKey = info.schema().hasPrimaryKey() ? info.schema().primaryKeyIndexes() : null;
                }
            }
            if (projectedNames != null) {
                projection = new int[projectedNames.length];
                for (int i = 0; i < projectedNames.length; i++) {
                    projection[i] = rowType.fieldIndex(projectedNames[i]);
                    if (projection[i] < 0) {
                        throw new IllegalArgumentException("ThermoclineSource of " + path + ": no column '"
                                + projectedNames[i] + "'; columns: " + rowType.fieldNames());
                    }
                }
            }
            return new ThermoclineSource(this);
        }
    }
}

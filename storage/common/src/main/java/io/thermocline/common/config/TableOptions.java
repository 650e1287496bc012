package io.thermocline.common.config;

import io.thermocline.common.exception.InvalidConfigException;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeSet;

/**
 * Options of one table, given at CREATE TABLE. Keys under {@code table.} are reserved for these:
 * the coordinator refuses an unknown one, and a bad value, naming the key. Other keys are kept as
 * the table's free-form properties.
 */
public final class TableOptions {
    private TableOptions() {}

    public static final ConfigOption<java.time.Duration> LOG_TTL = ConfigOptions.key("table.log.ttl")
            .durationType()
            .noDefaultValue()
            .withDescription("How long the hot tier keeps this table's log, judged by each segment's newest commit"
                    + " timestamp; unset, the cluster's log.retention.time applies; 0 ms keeps it forever.")
            .checkedBy(d -> !d.isNegative(), "0 or positive");

    public static final ConfigOption<Integer> MIN_INSYNC_REPLICAS = ConfigOptions.key("table.min-insync-replicas")
            .intType()
            .noDefaultValue()
            .withDescription("Replicas that must hold a write before it is acknowledged (acks=all) or visible to"
                    + " readers (Kafka's min.insync.replicas); with fewer in sync, acks=all writes fail with"
                    + " NotEnoughReplicas. Unset: 2 for replication factor 3 or more, else 1.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Boolean> UNCLEAN_LEADER_ELECTION = ConfigOptions.key("table.unclean-leader-election")
            .booleanType()
            .defaultValue(false)
            .withDescription("When every in-sync replica of a bucket is down, let an out-of-sync replica lead:"
                    + " available again, at the price of losing what only the in-sync replicas held.");

    /** The effective min in-sync replicas of a table with this replication factor. */
    public static int minInSyncReplicas(Configuration options, int replicationFactor) {
        Integer configured = options.get(MIN_INSYNC_REPLICAS);
        return configured != null ? configured : replicationFactor >= 3 ? 2 : 1;
    }

    public static final ConfigOption<MergeEngine> MERGE_ENGINE = ConfigOptions.key("table.merge-engine")
            .enumType(MergeEngine.class)
            .defaultValue(MergeEngine.LAST_ROW)
            .withDescription("How a primary-key table combines a write with the key's current row: LAST_ROW (the write"
                    + " wins), FIRST_ROW (the first row stays), VERSIONED (the row with the highest version column"
                    + " stays), AGGREGATION (each column folds by its function).");

    public static final ConfigOption<String> MERGE_ENGINE_VERSION_COLUMN =
            ConfigOptions.key("table.merge-engine.versioned.version-column")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("The numeric or timestamp column that orders rows for the VERSIONED merge engine.");

    public static final ConfigOption<String> MERGE_ENGINE_AGGREGATE_FUNCTIONS =
            ConfigOptions.key("table.merge-engine.aggregation.functions")
                    .stringType()
                    .defaultValue("")
                    .withDescription("Functions of the AGGREGATION merge engine, as column=function pairs separated by"
                            + " commas, e.g. amount=sum,last_seen=max. Functions: sum, min, max, count, last_non_null,"
                            + " first_non_null, last. Columns not named use last_non_null.");

    public static final ConfigOption<DeleteBehavior> DELETE_BEHAVIOR = ConfigOptions.key("table.delete.behavior")
            .enumType(DeleteBehavior.class)
            .noDefaultValue()
            .withDescription("What a delete does on a primary-key table: ALLOW (removes the row), IGNORE (dropped"
                    + " silently), DISABLE (refused with an error). Unset: ALLOW, but IGNORE for the FIRST_ROW and"
                    + " AGGREGATION merge engines.");

    /** Merge engines of primary-key tables. */
    public enum MergeEngine {
        LAST_ROW,
        FIRST_ROW,
        VERSIONED,
        AGGREGATION
    }

    /** What deletes do on a primary-key table. */
    public enum DeleteBehavior {
        ALLOW,
        IGNORE,
        DISABLE
    }

    /** The effective delete behavior of a table with these options. */
    public static DeleteBehavior deleteBehavior(Configuration options) {
        DeleteBehavior configured = options.get(DELETE_BEHAVIOR);
        if (configured != null) {
            return configured;
        }
        MergeEngine engine = options.get(MERGE_ENGINE);
        return engine == MergeEngine.FIRST_ROW || engine == MergeEngine.AGGREGATION ? DeleteBehavior.IGNORE
                : DeleteBehavior.ALLOW;
    }

    public static final ConfigOption<Boolean> AUTO_PARTITION_ENABLED = ConfigOptions.key("table.auto-partition.enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Create and drop time partitions automatically: the coordinator keeps partitions for the"
                    + " current period and the next `num-precreate` ones, and drops those older than `num-retention`"
                    + " periods. Values are time texts such as 20261123 (see time-unit).");

    public static final ConfigOption<String> AUTO_PARTITION_KEY = ConfigOptions.key("table.auto-partition.key")
            .stringType()
            .noDefaultValue()
            .withDescription("The STRING partition column that holds the period; needed only when the table has several"
                    + " partition columns (then partitions are created by writers, and only retention is automatic).");

    public static final ConfigOption<AutoPartitionTimeUnit> AUTO_PARTITION_TIME_UNIT =
            ConfigOptions.key("table.auto-partition.time-unit")
                    .enumType(AutoPartitionTimeUnit.class)
                    .defaultValue(AutoPartitionTimeUnit.DAY)
                    .withDescription("Period of one partition: HOUR (2026112314), DAY (20261123), MONTH (202611),"
                            + " QUARTER (2026Q4) or YEAR (2026).");

    public static final ConfigOption<Integer> AUTO_PARTITION_NUM_PRECREATE =
            ConfigOptions.key("table.auto-partition.num-precreate")
                    .intType()
                    .defaultValue(2)
                    .withDescription("How many periods, the current one included, have their partition created ahead.")
                    .checkedBy(n -> n >= 0 && n <= 1000, "between 0 and 1000");

    public static final ConfigOption<Integer> AUTO_PARTITION_NUM_RETENTION =
            ConfigOptions.key("table.auto-partition.num-retention")
                    .intType()
                    .defaultValue(7)
                    .withDescription("Partitions of periods more than this many before the current one are dropped with"
                            + " their data; 0 keeps every partition.")
                    .checkedBy(n -> n >= 0, "0 or more");

    public static final ConfigOption<String> AUTO_PARTITION_TIME_ZONE = ConfigOptions.key("table.auto-partition.time-zone")
            .stringType()
            .defaultValue("UTC")
            .withDescription("Time zone in which periods begin, e.g. UTC or Europe/Berlin.")
            .checkedBy(TableOptions::isZone, "a time zone id");

    private static boolean isZone(String id) {
        try {
            ZoneId.of(id);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    public static final ConfigOption<Boolean> DATALAKE_ENABLED = ConfigOptions.key("table.datalake.enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Tier this table into an Apache Iceberg table of the same name in the cluster's lake"
                    + " catalog, created with the table; hot-tier retention then keeps every row not yet tiered.");

    public static final ConfigOption<java.time.Duration> DATALAKE_FRESHNESS = ConfigOptions.key("table.datalake.freshness")
            .durationType()
            .defaultValue(java.time.Duration.ofMinutes(1))
            .withDescription("How far the lake may lag the hot tier: the table is due for a tiering round this long"
                    + " after its last round began. Can be altered.")
            .checkedBy(d -> !d.isNegative() && !d.isZero(), "positive");

    public static final ConfigOption<Boolean> DATALAKE_AUTO_MAINTENANCE = ConfigOptions.key("table.datalake.auto-maintenance")
            .booleanType()
            .defaultValue(false)
            .withDescription("Let tiering rounds bin-pack the small data files of the buckets they touch into"
                    + " target-size files and expire snapshots past table.datalake.snapshot-retention.");

    public static final ConfigOption<java.time.Duration> DATALAKE_SNAPSHOT_RETENTION =
            ConfigOptions.key("table.datalake.snapshot-retention")
                    .durationType()
                    .defaultValue(java.time.Duration.ofDays(1))
                    .withDescription("With auto-maintenance, lake snapshots older than this are expired (the newest"
                            + " is always kept) and files no longer reachable are deleted.")
                    .checkedBy(d -> !d.isNegative(), "0 or positive");

    /**
     * Checks a table's options: every reserved key known, every value valid. Throws
     * {@link InvalidConfigException} naming the table and the key.
     */
    public static Configuration validate(String table, Map<String, String> options) {
        TreeSet<String> known = new TreeSet<>();
        Configuration conf = new Configuration(options);
        for (Field field : TableOptions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                try {
                    ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                    known.add(option.key());
                    conf.get(option);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                } catch (InvalidConfigException e) {
                    throw new InvalidConfigException("Table " + table + ": " + e.getMessage());
                }
            }
        }
        for (String key : options.keySet()) {
            if (key.startsWith("table.") && !known.contains(key)) {
                throw new InvalidConfigException("Table " + table + ": unknown table option '" + key + "'; known: " + known);
            }
        }
        return conf;
    }
}

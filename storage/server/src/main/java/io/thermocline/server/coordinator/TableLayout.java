package io.thermocline.server.coordinator;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DataTypeRoot;
import io.thermocline.server.kv.RowMerger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Checks of a new table's partition keys, bucket keys and options, each error naming the table. */
final class TableLayout {
    private TableLayout() {}

    /**
     * Partition keys are distinct columns of primitive types; a primary-key table's are part of its
     * key (so a key lives in one partition) and leave at least one key column to bucket by.
     */
    static List<String> partitionKeys(TablePath path, Schema schema, List<String> requested) {
        if (new HashSet<>(requested).size() != requested.size()) {
            throw new SchemaException("Table " + path + ": partition keys " + requested + " name a column twice");
        }
        for (String key : requested) {
            DataType type = column(path, schema, key, "partition key");
            if (!type.root().isPrimitive()) {
                throw new SchemaException("Table " + path + ": partition key `" + key + "` is of type " + type
                        + "; partition keys must be of a primitive type");
            }
            if (schema.hasPrimaryKey() && !schema.primaryKey().contains(key)) {
                throw new SchemaException("Table " + path + ": partition key `" + key + "` must be part of the primary key "
                        + schema.primaryKey());
            }
        }
        if (schema.hasPrimaryKey() && !requested.isEmpty() && requested.containsAll(schema.primaryKey())) {
            throw new SchemaException("Table " + path + ": the primary key " + schema.primaryKey()
                    + " must hold a column besides the partition keys " + requested);
        }
        return List.copyOf(requested);
    }

    /**
     * Bucket keys are columns; a primary-key table buckets by its key without the partition keys by
     * default, and only by such columns.
     */
    static List<String> bucketKeys(TablePath path, Schema schema, List<String> partitionKeys, List<String> requested) {
        List<String> keyColumns = new ArrayList<>(schema.primaryKey());
        keyColumns.removeAll(partitionKeys);
        for (String key : requested) {
            column(path, schema, key, "bucket key");
            if (schema.hasPrimaryKey() && !keyColumns.contains(key)) {
                throw new SchemaException("Table " + path + ": bucket key `" + key + "` must be a primary key column "
                        + "that is not a partition key: " + keyColumns);
            }
        }
        return requested.isEmpty() ? List.copyOf(keyColumns) : List.copyOf(requested);
    }

    /** Table options valid, and automatic partitions only where a STRING partition column can hold the period. */
    static void checkOptions(TablePath path, Schema schema, List<String> partitionKeys, Map<String, String> options) {
        Configuration conf = TableOptions.validate(path.toString(), options);
        if (schema.hasPrimaryKey()) {
            RowMerger.of(path, schema, options); // refuses merge options that cannot work, naming them
        }
        if (!conf.get(TableOptions.AUTO_PARTITION_ENABLED)) {
            return;
        }
        if (partitionKeys.isEmpty()) {
            throw new InvalidConfigException("Table " + path + ": '" + TableOptions.AUTO_PARTITION_ENABLED.key()
                    + "' needs partition keys");
        }
        String key = partitionKeys.size() == 1 ? partitionKeys.get(0) : conf.get(TableOptions.AUTO_PARTITION_KEY);
        if (key == null || !partitionKeys.contains(key)) {
            throw new InvalidConfigException("Table " + path + ": with several partition keys " + partitionKeys + ", '"
                    + TableOptions.AUTO_PARTITION_KEY.key() + "' must name the one holding the period, got " + key);
        }
        DataType type = schema.rowType().typeAt(schema.columnIndex(key));
        if (type.root() != DataTypeRoot.STRING) {
            throw new InvalidConfigException("Table " + path + ": automatic partition key `" + key + "` is of type " + type
                    + "; it must be STRING to hold period values such as 20261123");
        }
    }

    private static DataType column(TablePath path, Schema schema, String name, String role) {
        if (schema.column(name).isEmpty()) {
            throw new SchemaException("Table " + path + ": " + role + " `" + name + "` is not a column: "
                    + schema.columnNames());
        }
        return schema.rowType().typeAt(schema.columnIndex(name));
    }
}

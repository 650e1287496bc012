package io.thermocline.tiering;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.PartitionInfo;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.PartitionValues;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.DataType;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.LakeTableLayout;
import io.thermocline.lake.LakeValues;

import org.apache.iceberg.PartitionField;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A lake-enabled table as a tiering round needs it: the hot table's metadata and partitions, and
 * its Iceberg table, checked to be the one created for it.
 */
public final class TieredTable {
    private final TableInfo info;
    private final LakeTableLayout layout;
    private final Table lake;
    private final Map<Long, PartitionInfo> partitions;

    private TieredTable(TableInfo info, LakeTableLayout layout, Table lake, Map<Long, PartitionInfo> partitions) {
        this.info = info;
        this.layout = layout;
        this.lake = lake;
        this.partitions = partitions;
    }

    /** Loads the table; a table recreated under the same name (another id) is a {@link LakeException}. */
    public static TieredTable load(Connection connection, LakeCatalog catalog, TablePath path, long tableId) {
        TableInfo info = connection.admin().getTable(path).join();
        if (info.tableId() != tableId) {
            throw new LakeException("Table " + path + " is now table id " + info.tableId() + ", not " + tableId
                    + " that the round was for");
        }
        LakeTableLayout layout = new LakeTableLayout(path, tableId, info.schema(), info.partitionKeys(), info.bucketKeys(),
                info.bucketCount());
        Table lake = catalog.loadTable(layout);
        Map<Long, PartitionInfo> partitions = info.isPartitioned()
                ? connection.admin().listPartitions(path).join().stream()
                        .collect(Collectors.toMap(PartitionInfo::partitionId, Function.identity()))
                : Map.of();
        return new TieredTable(info, layout, lake, partitions);
    }

    public TableInfo info() {
        return info;
    }

    public LakeTableLayout layout() {
        return layout;
    }

    public Table lake() {
        return lake;
    }

    public Map<Long, PartitionInfo> partitions() {
        return partitions;
    }

    /** The Iceberg partition tuple of a hot bucket: its partition's values, then its bucket. */
    public StructLike partitionTuple(TableBucket bucket) {
        GenericRecord tuple = GenericRecord.create(lake.spec().partitionType());
        List<PartitionField> fields = lake.spec().fields();
        for (int i = 0; i < fields.size(); i++) {
            String source = lake.schema().findColumnName(fields.get(i).sourceId());
            if (info.partitionKeys().contains(source)) {
                PartitionInfo partition = partitions.get(bucket.partitionId());
                if (partition == null) {
                    throw new LakeException("Table " + info.path() + " has no partition " + bucket.partitionId()
                            + " (dropped during the round?)");
                }
                DataType type = info.schema().rowType().typeAt(info.schema().columnIndex(source));
                tuple.set(i, LakeValues.toPartitionValue(type, PartitionValues.parse(type, partition.spec().get(source))));
            } else {
                tuple.set(i, bucket.bucket()); // bucket[N] of the bucket column, or identity(__bucket)
            }
        }
        return tuple;
    }
}

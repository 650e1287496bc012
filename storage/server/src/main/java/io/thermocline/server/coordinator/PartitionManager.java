package io.thermocline.server.coordinator;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.PartitionAlreadyExistsException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.exception.TooManyPartitionsException;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.common.metadata.PartitionValues;
import io.thermocline.common.schema.Schema;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.PartitionRegistration;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntSupplier;

/**
 * Creates and drops partitions: each gets a cluster-unique id, its own bucket placement and
 * first leaders, like a table of its own; dropping one deletes its replicas' data on the servers.
 */
final class PartitionManager {
    private final ZooKeeperMetadataStore store;
    private final BucketAllocator allocator;
    private final TabletServerGateway servers;
    private final IntSupplier coordinatorEpoch;
    private final int maxPartitionsPerTable;
    private final Clock clock;

    PartitionManager(ZooKeeperMetadataStore store, BucketAllocator allocator, TabletServerGateway servers,
            IntSupplier coordinatorEpoch, int maxPartitionsPerTable, Clock clock) {
        this.store = store;
        this.allocator = allocator;
        this.servers = servers;
        this.coordinatorEpoch = coordinatorEpoch;
        this.maxPartitionsPerTable = maxPartitionsPerTable;
        this.clock = clock;
    }

    /**
     * Canonical partition values, in partition-key order, from a spec naming each partition column
     * once. Throws {@link InvalidRequestException} naming the table and the missing, unknown or
     * ill-typed column.
     */
    List<String> values(TableRegistration table, Map<String, String> spec) {
        if (!table.isPartitioned()) {
            throw new InvalidRequestException("Table " + table.path() + " is not partitioned");
        }
        TreeSet<String> unknown = new TreeSet<>(spec.keySet());
        table.partitionKeys().forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("Table " + table.path() + " is partitioned by " + table.partitionKeys()
                    + ", not by " + unknown);
        }
        Schema schema = store.schema(table.tableId(), table.latestSchemaId());
        List<String> values = new ArrayList<>();
        for (String key : table.partitionKeys()) {
            values.add(PartitionValues.canonical(table.path(), key, schema.rowType().typeAt(schema.columnIndex(key)),
                    spec.get(key)));
        }
        return values;
    }

    /** Creates a partition; throws {@code PartitionAlreadyExistsException} when it exists. */
    PartitionRegistration create(TableRegistration table, List<String> values) {
        String name = PartitionValues.name(table.partitionKeys(), values);
        if (store.partition(table.tableId(), name).isPresent()) {
            throw new PartitionAlreadyExistsException("Table " + table.path() + " partition " + name + " already exists");
        }
        int count = store.partitions(table.tableId()).size();
        if (count >= maxPartitionsPerTable) {
            throw new TooManyPartitionsException("Table " + table.path() + " already has " + count
                    + " partitions, the most allowed (coordinator.max-partitions-per-table = " + maxPartitionsPerTable + ")");
        }
        long partitionId = store.nextPartitionId();
        PartitionRegistration partition = new PartitionRegistration(partitionId, table.tableId(), name,
                List.copyOf(values), clock.milliseconds());
        int replicationFactor = Math.max(1, table.replicationFactor());
        BucketAssignment assignment = allocator.assign("Table " + table.path() + " partition " + name,
                table.bucketCount(), replicationFactor,
                TableOptions.minInSyncReplicas(new Configuration(table.options()), replicationFactor), partitionId);
        store.createPartition(table, partition, assignment);
        allocator.writeFirstLeaders(table.tableId(), partitionId, assignment, coordinatorEpoch.getAsInt());
        return partition;
    }

    PartitionRegistration require(TableRegistration table, List<String> values) {
        String name = PartitionValues.name(table.partitionKeys(), values);
        return store.partition(table.tableId(), name).orElseThrow(() -> new PartitionNotExistException(
                "Table " + table.path() + " has no partition " + name));
    }

    /** Removes the partition's metadata, then has its replicas deleted. */
    void drop(PartitionRegistration partition) {
        BucketAssignment assignment = store.leadership().assignment(partition.tableId(), partition.partitionId());
        store.dropPartition(partition);
        allocator.forget(partition.tableId(), partition.partitionId(), false);
        servers.deleteReplicas(TabletServerGateway.byServer(assignment.replicas(), partition.tableId(),
                partition.partitionId()), coordinatorEpoch.getAsInt());
    }
}

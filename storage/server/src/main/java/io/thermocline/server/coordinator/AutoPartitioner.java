package io.thermocline.server.coordinator;

import io.thermocline.common.config.AutoPartitionTimeUnit;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.exception.PartitionAlreadyExistsException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.common.metadata.PartitionValues;
import io.thermocline.server.zk.ZkRecords.PartitionRegistration;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keeps the automatic time partitions of every table that asks for them
 * ({@link TableOptions#AUTO_PARTITION_ENABLED}): the current period's partition and the next
 * ones exist ahead of writers, and partitions past the retention are dropped with their data.
 * Runs on the active coordinator only, at a fixed interval and right after such a table is created.
 */
final class AutoPartitioner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoPartitioner.class);

    private final ZooKeeperMetadataStore store;
    private final PartitionManager partitions;
    private final Clock clock;
    private final BooleanSupplier active;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "auto-partitioner");
        t.setDaemon(true);
        return t;
    });

    AutoPartitioner(ZooKeeperMetadataStore store, PartitionManager partitions, Clock clock, BooleanSupplier active) {
        this.store = store;
        this.partitions = partitions;
        this.clock = clock;
        this.active = active;
    }

    AutoPartitioner start(Duration interval) {
        executor.scheduleWithFixedDelay(this::checkAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void checkAll() {
        if (!active.getAsBoolean()) {
            return;
        }
        for (long tableId : store.tableIds()) {
            try {
                store.table(tableId).ifPresent(this::check);
            } catch (RuntimeException e) {
                LOG.warn("Automatic partitions of table id {} not maintained this round", tableId, e);
            }
        }
    }

    /** Creates due partitions and drops expired ones of a table, if it has automatic partitions. */
    void check(TableRegistration table) {
        Configuration options = new Configuration(table.options());
        if (!table.isPartitioned() || !options.get(TableOptions.AUTO_PARTITION_ENABLED)) {
            return;
        }
        AutoPartitionTimeUnit unit = options.get(TableOptions.AUTO_PARTITION_TIME_UNIT);
        ZoneId zone = ZoneId.of(options.get(TableOptions.AUTO_PARTITION_TIME_ZONE));
        ZonedDateTime current = unit.periodStart(Instant.ofEpochMilli(clock.milliseconds()).atZone(zone));
        if (table.partitionKeys().size() == 1) {
            for (int i = 0; i < options.get(TableOptions.AUTO_PARTITION_NUM_PRECREATE); i++) {
                String value = unit.format(unit.plus(current, i));
                if (store.partition(table.tableId(), PartitionValues.name(table.partitionKeys(), List.of(value))).isPresent()) {
                    continue;
                }
                try {
                    PartitionRegistration created = partitions.create(table, List.of(value));
                    LOG.info("Created partition {} of {} ahead of time", created.name(), table.path());
                } catch (PartitionAlreadyExistsException | TableNotExistException e) {
                    // a writer or a DDL got there first, or the table is gone
                }
            }
        }
        int retention = options.get(TableOptions.AUTO_PARTITION_NUM_RETENTION);
        if (retention == 0) {
            return;
        }
        int keyIndex = table.partitionKeys().indexOf(autoPartitionKey(table, options));
        ZonedDateTime oldestKept = unit.plus(current, -retention);
        for (PartitionRegistration partition : store.partitions(table.tableId())) {
            Optional<ZonedDateTime> start = unit.parse(partition.values().get(keyIndex), zone);
            if (start.isPresent() && start.get().isBefore(oldestKept)) {
                try {
                    partitions.drop(partition);
                    LOG.info("Dropped partition {} of {}: older than {} {} periods", partition.name(), table.path(),
                            retention, unit);
                } catch (PartitionNotExistException e) {
                    // dropped meanwhile
                }
            }
        }
    }

    /** The partition column holding the period: the only one, or the one the options name. */
    static String autoPartitionKey(TableRegistration table, Configuration options) {
        return table.partitionKeys().size() == 1 ? table.partitionKeys().get(0)
                : options.get(TableOptions.AUTO_PARTITION_KEY);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

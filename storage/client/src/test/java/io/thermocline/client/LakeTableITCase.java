package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TieringGateway;
import io.thermocline.common.exception.FencedTieringEpochException;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator's side of the lake with a real Hadoop warehouse: Iceberg tables created and
 * dropped with their tables, bad lake input refused while the hot tier keeps serving, the tiering
 * queue's epochs, and retention that never deletes what is not tiered.
 */
class LakeTableITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1)
            .lake()
            .serverOption("log.segment.size", "1 kb")
            .serverOption("log.retention.check-interval", "100 ms")
            .serverOption("coordinator.tiering.heartbeat-timeout", "1 s")
            .build();

    private static final Schema EVENTS = Schema.builder().column("id", DataTypes.BIGINT().notNull())
            .column("text", DataTypes.STRING()).build();
    private static final Map<String, String> LAKE = Map.of("table.datalake.enabled", "true",
            "table.datalake.freshness", "200 ms");

    static Connection connection;
    static Admin admin;

    @BeforeAll
    static void connect() throws Exception {
        connection = ConnectionFactory.create(CLUSTER.clientConf());
        admin = connection.admin();
        admin.createDatabase("lk", null, true).get();
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Test
    void clientsLearnTheLakeCatalogFromTheCluster() throws Exception {
        assertThat(connection.admin().getLakeCatalogOptions(TablePath.of("lk", "any")).get())
                .containsEntry("lake.catalog.warehouse", CLUSTER.lakeWarehouse().toString())
                .containsEntry("lake.catalog.type", "hadoop").containsKey("lake.catalog-name");
    }

    @Test
    void aLakeTableHasItsIcebergTableFromCreateToDrop() throws Exception {
        TablePath path = TablePath.of("lk", "created");
        admin.createTable(path, TableDescriptor.builder(EVENTS).buckets(2).options(LAKE).build(), false).get();
        Path metadata = CLUSTER.lakeWarehouse().resolve("lk").resolve("created").resolve("metadata");
        assertThat(metadata).isDirectory();
        assertThat(admin.getLakeSnapshot(path).get()).isEmpty();
        admin.dropTable(path, false).get();
        assertThat(CLUSTER.lakeWarehouse().resolve("lk").resolve("created")).doesNotExist();
    }

    @Test
    void aTypeIcebergCannotHoldIsRefusedAndTheHotTierKeepsServing() throws Exception {
        TablePath path = TablePath.of("lk", "nanos");
        Schema nanos = Schema.builder().column("id", DataTypes.BIGINT()).column("at", DataTypes.TIMESTAMP(9)).build();
        assertThatThrownBy(() -> admin.createTable(path, TableDescriptor.builder(nanos).options(LAKE).build(), false).get())
                .cause().isInstanceOf(LakeException.class).hasMessageContaining("lk.nanos").hasMessageContaining("`at`");
        assertThatThrownBy(() -> admin.getTable(path).get()).cause().isInstanceOf(TableNotExistException.class);
        TablePath plain = TablePath.of("lk", "nanos_hot_only");
        admin.createTable(plain, TableDescriptor.builder(nanos).build(), false).get();
        try (AppendWriter writer = connection.table(plain).newAppendWriter()) {
            writer.append(GenericRow.of(1L, null)).get();
        }
    }

    @Test
    void retentionKeepsEveryRowUntilTheLakeHoldsIt() throws Exception {
        TablePath path = TablePath.of("lk", "kept");
        Map<String, String> options = new java.util.HashMap<>(LAKE);
        options.put("table.log.ttl", "1 ms");
        admin.createTable(path, TableDescriptor.builder(EVENTS).buckets(1).options(options).build(), false).get();
        Table table = connection.table(path);
        try (AppendWriter writer = table.newAppendWriter()) {
            for (long i = 0; i < 100; i++) {
                writer.append(GenericRow.of(i, "row " + i)).get(); // one batch per row: many small segments
            }
        }
        Thread.sleep(500); // several retention passes; nothing to wait for, the point is that nothing goes
        assertThat(earliest(path)).isZero();

        // A tiering round reports rows before offset 60 as tiered: retention may now take segments below it.
        TieringGateway tiering = connection.tiering();
        TieringGateway.Round round = acquire(tiering, "job-a", table.info().tableId());
        TableBucket bucket = new TableBucket(table.info().tableId(), 0);
        tiering.finish(round, 4242, Map.of(bucket, 60L), false).get();
        LakeSnapshot snapshot = admin.getLakeSnapshot(path).get().orElseThrow();
        assertThat(snapshot.snapshotId()).isEqualTo(4242);
        assertThat(snapshot.endOffsets()).isEqualTo(Map.of(bucket, 60L));
        TestCluster.waitUntil(() -> earliest(path) > 0, Duration.ofSeconds(20), "segments below offset 60 are deleted");
        assertThat(earliest(path)).isBetween(1L, 60L);
    }

    @Test
    void aSilentJobsRoundIsFencedAndAnotherJobTakesTheTable() throws Exception {
        TablePath path = TablePath.of("lk", "contended");
        long tableId = admin.createTable(path, TableDescriptor.builder(EVENTS).buckets(1).options(LAKE).build(), false).get();
        TieringGateway tiering = connection.tiering();
        TieringGateway.Round slow = acquire(tiering, "slow", tableId);
        assertThat(tiering.heartbeat("slow", List.of(slow)).get()).isEmpty();
        TieringGateway.Round fast = acquire(tiering, "fast", tableId); // after the 1 s heartbeat timeout
        assertThat(fast.epoch()).isGreaterThan(slow.epoch());
        assertThat(tiering.heartbeat("slow", List.of(slow)).get()).containsKey(tableId);
        assertThatThrownBy(() -> tiering.finish(slow, 1, Map.of(new TableBucket(tableId, 0), 5L), false).get())
                .cause().isInstanceOf(FencedTieringEpochException.class).hasMessageContaining("round " + slow.epoch());
        assertThat(admin.getLakeSnapshot(path).get()).isEmpty();
        tiering.fail(fast, "disk full").get();
        assertThatThrownBy(() -> tiering.fail(fast, "again").get()).cause()
                .isInstanceOf(FencedTieringEpochException.class);
    }

    @Test
    void theLakeOptionsCanBeAlteredAndTheOthersAreFixed() throws Exception {
        TablePath path = TablePath.of("lk", "altered");
        long tableId = admin.createTable(path, TableDescriptor.builder(EVENTS).buckets(1).build(), false).get();
        assertThat(CLUSTER.lakeWarehouse().resolve("lk").resolve("altered")).doesNotExist();
        admin.alterTable(path, Map.of("table.datalake.enabled", "true", "table.datalake.freshness", "1 h",
                "owner", "team-a"), java.util.Set.of()).get();
        assertThat(CLUSTER.lakeWarehouse().resolve("lk").resolve("altered").resolve("metadata")).isDirectory();
        assertThat(admin.getTable(path).get().options()).containsEntry("owner", "team-a")
                .containsEntry("table.datalake.freshness", "1 h");
        // Due in an hour: no job gets it; back to the 200 ms default of this test and it is due at once.
        assertThat(connection.tiering().acquire("probe").get()).map(TieringGateway.Round::tableId).isNotEqualTo(
                Optional.of(tableId));
        admin.alterTable(path, Map.of("table.datalake.freshness", "200 ms"), java.util.Set.of("owner")).get();
        assertThat(admin.getTable(path).get().options()).doesNotContainKey("owner");
        acquire(connection.tiering(), "probe", tableId);

        assertThatThrownBy(() -> admin.alterTable(path, Map.of("table.merge-engine", "first_row"), java.util.Set.of())
                .get()).cause().isInstanceOf(InvalidConfigException.class).hasMessageContaining("lk.altered")
                .hasMessageContaining("table.merge-engine");
        assertThatThrownBy(() -> admin.alterTable(path, Map.of("table.datalake.freshness", "-1 s"), java.util.Set.of())
                .get()).cause().isInstanceOf(InvalidConfigException.class).hasMessageContaining("table.datalake.freshness");
        assertThatThrownBy(() -> admin.alterTable(TablePath.of("lk", "missing"), Map.of(), java.util.Set.of()).get())
                .cause().isInstanceOf(TableNotExistException.class);
    }

    /** Acquires rounds until the one of {@code tableId} comes (other tests' tables may be due too). */
    private static TieringGateway.Round acquire(TieringGateway tiering, String job, long tableId) {
        TieringGateway.Round[] found = new TieringGateway.Round[1];
        TestCluster.waitUntil(() -> {
            Optional<TieringGateway.Round> round = tiering.acquire(job).join();
            if (round.isPresent() && round.get().tableId() == tableId) {
                found[0] = round.get();
                return true;
            }
            round.ifPresent(other -> tiering.fail(other, "not this test's table").join());
            return false;
        }, Duration.ofSeconds(20), job + " takes table id " + tableId);
        return found[0];
    }

    private static long earliest(TablePath path) {
        return admin.listOffsets(path, List.of(0), OffsetSpec.earliest()).join().get(0);
    }
}

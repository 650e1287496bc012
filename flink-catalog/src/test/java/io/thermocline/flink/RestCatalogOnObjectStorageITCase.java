package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.testservers.RestCatalogServer;
import io.thermocline.testservers.ServerControl;
import io.thermocline.tiering.testutils.TieringRounds;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The lake behind Iceberg's REST catalog server, with OAuth2 client credentials; and lake outages. */
class RestCatalogOnObjectStorageITCase extends LakeOnObjectStorageITCase {
    /** How long each outage lasts: 10 s in CI, 60 s with -Dthermocline.lake-outage-seconds=60. */
    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("thermocline.lake-outage-seconds", 10));

    static RestCatalogServer rest;

    @BeforeAll
    static void startCatalog() {
        rest = RestCatalogServer.start(dir.resolve("rest"), s3, WAREHOUSE);
        // A catalog whose object store is down answers only after minutes of retries: answers wait 10 s at most.
        startCluster(Map.of("type", "rest", "uri", rest.uri(), "credential", "tiering:not-a-secret",
                "oauth2-server-uri", rest.uri() + "/v1/oauth/tokens", "rest.client.socket-timeout-ms", "10000"));
    }

    @AfterAll
    static void stopCatalog() {
        stopCluster();
        if (rest != null) {
            rest.stop();
        }
    }

    /**
     * The catalog stops, later the object store, while a writer appends: writes go on, a union read
     * fails naming the lake, and after each outage tiering catches up; the lake holds every
     * acknowledged row once.
     */
    @Test
    void tieringRidesOutACatalogOutageThenAnObjectStoreOutage() throws Exception {
        TableEnvironment sql = sql();
        sql.executeSql("CREATE TABLE shop.clicks (id BIGINT NOT NULL) WITH ('bucket.num' = '2', 'bucket.key' = 'id',"
                + " 'table.datalake.enabled' = 'true', 'table.datalake.freshness' = '1 s')");
        TablePath path = TablePath.of("shop", "clicks");
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        JobClient tiering = TieringRounds.start(cluster, cluster.clientConf().toMap());
        try (Connection connection = ConnectionFactory.create(cluster.clientConf())) {
            Admin admin = connection.admin();
            Thread writer = new Thread(() -> write(connection, path, writing, acknowledged), "outage-writer");
            writer.start();
            TestCluster.waitUntil(() -> tieredRows(admin, path) > 0, Duration.ofSeconds(60), "a first round");
            try {
                outage(rest, admin, path, acknowledged, sql);
                outage(s3, admin, path, acknowledged, sql);
            } finally {
                writing.set(false);
                writer.join();
            }
            Map<TableBucket, Long> ends = ends(admin, path);
            TestCluster.waitUntil(() -> admin.getLakeSnapshot(path).join().map(LakeSnapshot::endOffsets)
                    .filter(ends::equals).isPresent(), Duration.ofSeconds(120), "the last rows tiered");
        } finally {
            tiering.cancel().get();
        }
        // Exactly once: Iceberg's reader finds every acknowledged row, none twice.
        assertThat(single(sql, "SELECT COUNT(*), COUNT(DISTINCT id) FROM `shop`.`clicks$lake`"))
                .isEqualTo(Row.of((long) acknowledged.size(), (long) acknowledged.size()));
        assertThat(single(sql, "SELECT COUNT(*) FROM shop.clicks").getField(0)).isEqualTo((long) acknowledged.size());
    }

    /** Stops {@code server} for {@link #OUTAGE}, checking the hot tier and the union read meanwhile. */
    private static void outage(ServerControl server, Admin admin, TablePath path, Set<Long> acknowledged,
            TableEnvironment sql) throws Exception {
        server.stop();
        long stoppedAt = System.nanoTime();
        try {
            // Hot writes never wait for the lake.
            int before = acknowledged.size();
            TestCluster.waitUntil(() -> acknowledged.size() > before + 100, Duration.ofSeconds(10),
                    "writes acknowledged while the lake is down");
            // A union read fails, naming the lake, instead of hanging.
            assertThatThrownBy(() -> single(sql, "SELECT COUNT(*) FROM shop.clicks"))
                    .hasStackTraceContaining("Lake catalog 'thermocline'");
            long left = OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
            if (left > 0) {
                Thread.sleep(left / 1_000_000); // the outage itself, not a wait for a condition
            }
        } finally {
            server.start();
        }
        // Tiering catches up with what was written during the outage.
        Map<TableBucket, Long> ends = ends(admin, path);
        TestCluster.waitUntil(() -> admin.getLakeSnapshot(path).join().map(LakeSnapshot::endOffsets)
                .filter(tiered -> ends.entrySet().stream().allMatch(e -> tiered.getOrDefault(e.getKey(), 0L)
                        >= e.getValue())).isPresent(), Duration.ofSeconds(150), "tiering caught up after the outage");
    }

    private static long tieredRows(Admin admin, TablePath path) {
        return admin.getLakeSnapshot(path).join().map(s -> s.endOffsets().values().stream().mapToLong(v -> v).sum())
                .orElse(0L);
    }

    /**
     * Appends ids 0, 1, 2, ... about 200 a second in batches of 50 (few segments: retention cannot
     * drop untiered ones while the lake is down) until told to stop, recording each acknowledged one.
     */
    private static void write(Connection connection, TablePath path, AtomicBoolean writing, Set<Long> acknowledged) {
        try (AppendWriter writer = connection.table(path).newAppendWriter()) {
            for (long id = 0; writing.get(); id++) {
                long row = id;
                writer.append(GenericRow.of(row)).thenRun(() -> acknowledged.add(row));
                if (id % 50 == 49) {
                    writer.flush();
                    Thread.sleep(250); // pacing the workload
                }
            }
            writer.flush();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

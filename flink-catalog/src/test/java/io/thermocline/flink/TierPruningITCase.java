package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.tiering.testutils.TieringRounds;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tier pruning on a union read of a table split across Iceberg and the hot tier: filters on the
 * commit time keep the read away from a tier that cannot hold matching rows. Shown by the plan,
 * by the answers, and by a lake whose files are gone: a query that needs only hot rows still
 * answers, one that needs the lake fails.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TierPruningITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).lake().build();

    @Test
    void commitTimeFiltersSkipTheTierThatCannotMatch() throws Exception {
        TableEnvironment sql = sql();
        sql.executeSql("CREATE TABLE shop.events (id BIGINT, ts TIMESTAMP_LTZ(3) METADATA FROM 'commit_timestamp'"
                + " VIRTUAL) WITH ('bucket.num' = '1', 'table.datalake.enabled' = 'true',"
                + " 'table.datalake.freshness' = '1 s')");
        TablePath path = TablePath.of("shop", "events");
        sql.executeSql("INSERT INTO shop.events (id) SELECT * FROM (VALUES (1), (2), (3), (4))").await();
        long tieredUntil;
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            long tableId = admin.getTable(path).get().tableId();
            TieringRounds.tierUntil(CLUSTER, path, Map.of(new TableBucket(tableId, 0), 4L));
            tieredUntil = single(sql, "SELECT MAX(ts) FROM shop.events") + 1;
            Thread.sleep(20); // later rows commit in a later millisecond
            sql.executeSql("INSERT INTO shop.events (id) SELECT * FROM (VALUES (5), (6))").await();
            assertThat(admin.listOffsets(path, List.of(0), OffsetSpec.latest()).get()).containsEntry(0, 6L);
        }
        String boundary = "TO_TIMESTAMP_LTZ(" + tieredUntil + ", 3)";
        String hotOnly = "SELECT COUNT(*) FROM shop.events WHERE ts >= " + boundary;
        String lakeOnly = "SELECT COUNT(*) FROM shop.events WHERE " + boundary + " > ts";
        String between = "SELECT id FROM shop.events WHERE ts >= " + boundary + " AND ts < " + boundary
                + " + INTERVAL '1' HOUR";

        // The commit-time filter reaches the source (Flink still applies it after the read).
        assertThat(sql.explainSql(hotOnly)).containsPattern("TableSourceScan\\(table=\\[\\[tc, shop, events,"
                + " filter=\\[>=\\(ts, ");
        assertThat(single(sql, hotOnly)).isEqualTo(2);
        assertThat(single(sql, lakeOnly)).isEqualTo(4);
        assertThat(single(sql, "SELECT COUNT(*) FROM shop.events")).isEqualTo(6);
        assertThat(ids(sql, between)).containsExactlyInAnyOrder(5L, 6L);

        // With the lake's files gone, only a read that skips the lake still answers.
        try (Stream<Path> files = Files.walk(CLUSTER.lakeWarehouse().resolve("shop").resolve("events"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
                Files.delete(file);
            }
        }
        assertThat(single(sql, hotOnly)).isEqualTo(2);
        assertThat(ids(sql, between)).containsExactlyInAnyOrder(5L, 6L);
        assertThatThrownBy(() -> single(sql, "SELECT COUNT(*) FROM shop.events")).hasStackTraceContaining("parquet");
    }

    private static TableEnvironment sql() {
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        sql.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + CLUSTER.bootstrapServers() + "')");
        sql.executeSql("USE CATALOG tc");
        sql.executeSql("CREATE DATABASE IF NOT EXISTS shop");
        return sql;
    }

    private static List<Long> ids(TableEnvironment sql, String query) throws Exception {
        List<Long> ids = new java.util.ArrayList<>();
        try (CloseableIterator<Row> rows = sql.executeSql(query).collect()) {
            rows.forEachRemaining(row -> ids.add((Long) row.getField(0)));
        }
        return ids;
    }

    private static long single(TableEnvironment sql, String query) throws Exception {
        try (CloseableIterator<Row> rows = sql.executeSql(query).collect()) {
            Object value = rows.next().getField(0);
            return value instanceof java.time.Instant ? ((java.time.Instant) value).toEpochMilli() : (Long) value;
        }
    }
}

package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.server.testutils.TestCluster;

import io.thermocline.flink.sink.ThermoclineSink;
import io.thermocline.flink.source.ThermoclineSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The catalog, source and sink through Flink SQL on a local Flink, against a real cluster. */
// Streaming reads block on their results: a regression fails the test instead of hanging CI.
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FlinkCatalogITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();


    static TableEnvironment batch;
    static TableEnvironment streaming;

    @BeforeAll
    static void catalogs() {
        batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        for (TableEnvironment env : List.of(batch, streaming)) {
            env.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                    + CLUSTER.bootstrapServers() + "')");
            env.executeSql("USE CATALOG tc");
        }
        batch.executeSql("CREATE DATABASE IF NOT EXISTS shop");
    }

    @Test
    void aLogTableIsCreatedWrittenAndReadThroughSql() throws Exception {
        batch.executeSql("CREATE TABLE shop.orders (id BIGINT NOT NULL, item STRING, amount DECIMAL(10, 2),"
                + " placed TIMESTAMP_LTZ(3), dt DATE) WITH ('bucket.num' = '3', 'table.log.ttl' = '7 d')");
        assertThat(collect(batch.executeSql("SHOW TABLES IN shop"))).extracting(r -> r.getField(0)).contains("orders");
        batch.executeSql("INSERT INTO shop.orders VALUES"
                + " (1, 'apple', 1.50, TO_TIMESTAMP_LTZ(1700000000000, 3), DATE '2026-11-23'),"
                + " (2, 'pear', 2.25, TO_TIMESTAMP_LTZ(1700000001000, 3), DATE '2026-11-24'),"
                + " (3, CAST(NULL AS STRING), 0.10, TO_TIMESTAMP_LTZ(1700000002000, 3), DATE '2026-11-25')").await();
        List<String> rows = collect(batch.executeSql("SELECT id, item, amount, dt FROM shop.orders")).stream()
                .map(Row::toString).sorted().collect(Collectors.toList());
        assertThat(rows).containsExactly("+I[1, apple, 1.50, 2026-11-23]", "+I[2, pear, 2.25, 2026-11-24]",
                "+I[3, null, 0.10, 2026-11-25]");
        assertThat(batch.getCatalog("tc").orElseThrow().getTableStatistics(
                new org.apache.flink.table.catalog.ObjectPath("shop", "orders")).getRowCount()).isEqualTo(3);
        // Only the projected columns are read: the plan carries the projection into the source.
        assertThat(batch.explainSql("SELECT item FROM shop.orders")).contains("project=[item]").contains("fields=[item]");
        assertThat(collect(batch.executeSql("SHOW CREATE TABLE shop.orders")).get(0).getField(0).toString())
                .contains("'bucket.num' = '3'").contains("'table.log.ttl' = '7 d'");
    }

    @Test
    void aPrimaryKeyTableTakesUpsertsAndReadsAsAChangelog() throws Exception {
        streaming.executeSql("CREATE TABLE shop.stock (sku INT NOT NULL, qty BIGINT, PRIMARY KEY (sku) NOT ENFORCED)"
                + " WITH ('bucket.num' = '2')");
        streaming.executeSql("INSERT INTO shop.stock VALUES (1, 10), (2, 20)").await();
        streaming.executeSql("INSERT INTO shop.stock VALUES (1, 11)").await();
        List<String> changes = new ArrayList<>();
        try (CloseableIterator<Row> rows = streaming.executeSql("SELECT sku, qty FROM shop.stock").collect()) {
            while (changes.size() < 4 && rows.hasNext()) {
                changes.add(rows.next().toString());
            }
        }
        assertThat(changes).containsExactlyInAnyOrder("+I[1, 10]", "+I[2, 20]", "-U[1, 10]", "+U[1, 11]");
        batch.executeSql("INSERT INTO shop.stock VALUES (3, 30)").await();
        batch.executeSql("DELETE FROM shop.stock WHERE sku = 3").await();
        // The changelog view: every change as an appended row with its type, offset and commit time.
        List<Row> log = collect(batch.executeSql("SELECT _change_type, _log_offset, sku, qty FROM `shop`.`stock$changelog`"));
        assertThat(log).extracting(r -> r.getField(0) + " " + r.getField(2) + " " + r.getField(3))
                .containsExactlyInAnyOrder("+I 1 10", "+I 2 20", "-U 1 10", "+U 1 11", "+I 3 30", "-D 3 30");
        // Offsets are per bucket; the changes of one key share its bucket and never an offset.
        for (int sku = 1; sku <= 3; sku++) {
            int key = sku;
            assertThat(log).filteredOn(r -> (Integer) r.getField(2) == key).extracting(r -> (Long) r.getField(1))
                    .doesNotHaveDuplicates();
        }
        assertThat(collect(batch.executeSql("SELECT _commit_timestamp FROM `shop`.`stock$changelog`")))
                .allSatisfy(r -> assertThat(r.getField(0)).isNotNull());
        assertThatThrownBy(() -> batch.executeSql("SELECT * FROM `shop`.`stock$history`"))
                .hasStackTraceContaining("shop.stock$history").hasStackTraceContaining("unknown suffix '$history'");
        // Filters fixing the whole key make the batch read one KV lookup.
        String point = "SELECT qty FROM shop.stock WHERE sku = 1";
        assertThat(batch.explainSql(point)).contains("filter=[=(sku, 1)]");
        assertThat(collect(batch.executeSql(point))).extracting(Row::toString).containsExactly("+I[11]");
        assertThat(collect(batch.executeSql("SELECT qty FROM shop.stock WHERE sku = 3"))).isEmpty();
        String keys = "SELECT sku, qty FROM shop.stock WHERE sku IN (1, 2, 3, 1) OR sku = 7";
        assertThat(batch.explainSql(keys)).contains("filter=[");
        assertThat(collect(batch.executeSql(keys))).extracting(Row::toString)
                .containsExactlyInAnyOrder("+I[1, 11]", "+I[2, 20]");
        // In batch mode the same table reads as its current rows.
        assertThat(collect(batch.executeSql("SELECT qty, sku FROM shop.stock"))).extracting(Row::toString)
                .containsExactlyInAnyOrder("+I[11, 1]", "+I[20, 2]");
    }

    @Test
    void badDdlIsAnErrorNamingTableAndOptionAndTheCatalogStaysUsable() {
        assertThatThrownBy(() -> batch.executeSql("CREATE TABLE shop.bad (id BIGINT) WITH ('table.log.ttl' = 'soon')"))
                .hasStackTraceContaining("shop.bad").hasStackTraceContaining("table.log.ttl");
        assertThatThrownBy(() -> batch.executeSql("CREATE TABLE shop.bad2 (id BIGINT) WITH ('bucket.num' = 'many')"))
                .hasStackTraceContaining("shop.bad2").hasStackTraceContaining("bucket.num");
        assertThatThrownBy(() -> batch.executeSql("CREATE TABLE shop.bad3 (id BIGINT, m MAP<STRING, INT>)"))
                .hasStackTraceContaining("`m`");
        assertThat(collect(batch.executeSql("SHOW DATABASES"))).extracting(r -> r.getField(0)).contains("shop");
    }

    @Test
    void primaryKeyTablesTakePartialUpdatesAndRowLevelUpdatesAndDeletes() throws Exception {
        batch.executeSql("CREATE TABLE shop.profiles (id INT NOT NULL, name STRING, email STRING, visits BIGINT,"
                + " PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket.num' = '2')");
        batch.executeSql("INSERT INTO shop.profiles VALUES (1, 'ann', 'ann@x', 1), (2, 'bob', 'bob@x', 2),"
                + " (3, 'cy', 'cy@x', 3)").await();
        // An INSERT naming some columns updates only those: the others keep their values.
        batch.executeSql("INSERT INTO shop.profiles (id, visits) VALUES (1, 10), (2, 20)").await();
        batch.executeSql("UPDATE shop.profiles SET email = 'new@x' WHERE visits >= 20").await();
        batch.executeSql("DELETE FROM shop.profiles WHERE name = 'cy'").await();
        assertThat(collect(batch.executeSql("SELECT * FROM shop.profiles"))).extracting(Row::toString)
                .containsExactlyInAnyOrder("+I[1, ann, ann@x, 10]", "+I[2, bob, new@x, 20]");
        batch.executeSql("CREATE TABLE shop.plain (id INT)");
        assertThatThrownBy(() -> batch.executeSql("DELETE FROM shop.plain WHERE id = 1"))
                .hasStackTraceContaining("shop.plain").hasStackTraceContaining("log table");
    }

    @Test
    void dataStreamJobsReadAndWriteThroughTheBuilders() throws Exception {
        batch.executeSql("CREATE TABLE shop.src (id BIGINT, name STRING) WITH ('bucket.num' = '2')");
        batch.executeSql("CREATE TABLE shop.dst (id BIGINT, name STRING) WITH ('bucket.num' = '1')");
        batch.executeSql("INSERT INTO shop.src VALUES (1, 'a'), (2, 'b'), (3, 'c')").await();
        StreamExecutionEnvironment copy = StreamExecutionEnvironment.getExecutionEnvironment();
        copy.setRuntimeMode(org.apache.flink.api.common.RuntimeExecutionMode.BATCH);
        copy.fromSource(ThermoclineSource.builder().bootstrapServers(CLUSTER.bootstrapServers()).table("shop", "src")
                        .bounded(true).build(), WatermarkStrategy.noWatermarks(), "src")
                .sinkTo(ThermoclineSink.builder().bootstrapServers(CLUSTER.bootstrapServers()).table("shop", "dst")
                        .build());
        copy.execute();
        assertThat(collect(batch.executeSql("SELECT id, name FROM shop.dst"))).extracting(Row::toString)
                .containsExactlyInAnyOrder("+I[1, a]", "+I[2, b]", "+I[3, c]");
        ThermoclineSource names = ThermoclineSource.builder().bootstrapServers(CLUSTER.bootstrapServers())
                .table("shop", "src").bounded(true).project("name").build();
        List<String> read = new ArrayList<>();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        try (CloseableIterator<org.apache.flink.table.data.RowData> rows = env
                .fromSource(names, WatermarkStrategy.noWatermarks(), "names").executeAndCollect()) {
            rows.forEachRemaining(row -> read.add(row.getString(0).toString()));
        }
        assertThat(read).containsExactlyInAnyOrder("a", "b", "c");
        assertThatThrownBy(() -> ThermoclineSource.builder().bootstrapServers(CLUSTER.bootstrapServers())
                .table("shop", "src").project("nope").build()).hasMessageContaining("no column 'nope'");
    }

    @Test
    void aStreamingReadPicksUpPartitionsCreatedWhileItRuns() throws Exception {
        streaming.executeSql("CREATE TABLE shop.daily (id BIGINT, dt STRING) PARTITIONED BY (dt) WITH ('bucket.num' = '1')");
        streaming.executeSql("ALTER TABLE shop.daily ADD PARTITION (dt = 'd1')");
        streaming.executeSql("INSERT INTO shop.daily VALUES (1, 'd1')").await();
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = streaming.executeSql("SELECT id, dt FROM shop.daily"
                + " /*+ OPTIONS('scan.partition.discovery.interval' = '200 ms') */").collect()) {
            rows.add(it.next().toString());
            streaming.executeSql("ALTER TABLE shop.daily ADD PARTITION (dt = 'd2')");
            streaming.executeSql("INSERT INTO shop.daily VALUES (2, 'd2'), (3, 'd2')").await();
            rows.add(it.next().toString());
            rows.add(it.next().toString());
        }
        assertThat(rows).containsExactlyInAnyOrder("+I[1, d1]", "+I[2, d2]", "+I[3, d2]");
    }

    @Test
    void computedColumnsAndWatermarksDriveEventTimeWindows() throws Exception {
        streaming.executeSql("CREATE TABLE shop.page_views (user_id BIGINT, url STRING, ts TIMESTAMP(3),"
                + " minute_of AS DATE_FORMAT(ts, 'HH:mm'), WATERMARK FOR ts AS ts - INTERVAL '10' MINUTE)"
                + " WITH ('bucket.num' = '1')");
        batch.executeSql("INSERT INTO shop.page_views VALUES (1, '/a', TIMESTAMP '2026-11-23 10:00:01'),"
                + " (2, '/b', TIMESTAMP '2026-11-23 10:00:30'), (1, '/c', TIMESTAMP '2026-11-23 10:00:59'),"
                + " (3, '/a', TIMESTAMP '2026-11-23 10:01:10'), (2, '/a', TIMESTAMP '2026-11-23 10:01:20')").await();
        // Written after the others: moves the watermark past both windows.
        batch.executeSql("INSERT INTO shop.page_views VALUES (9, '/z', TIMESTAMP '2026-11-23 11:00:00')").await();
        assertThat(collect(batch.executeSql("SELECT minute_of FROM shop.page_views WHERE user_id = 3")))
                .extracting(Row::toString).containsExactly("+I[10:01]");
        String show = collect(batch.executeSql("SHOW CREATE TABLE shop.page_views")).get(0).getField(0).toString();
        assertThat(show).contains("`minute_of` AS").contains("WATERMARK FOR `ts` AS");

        streaming.getConfig().set("table.exec.source.idle-timeout", "100 ms"); // readers without a bucket
        String perMinute = "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE shop.page_views, DESCRIPTOR(ts),"
                + " INTERVAL '1' MINUTE)) GROUP BY window_start, window_end";
        // The watermark is generated inside the source, per bucket.
        assertThat(streaming.explainSql(perMinute)).containsPattern("TableSourceScan\\(table=\\[\\[tc, shop, page_views,"
                + "[^\\n]*watermark=\\[-\\(ts, 600000");
        List<String> windows = new ArrayList<>();
        try (CloseableIterator<Row> rows = streaming.executeSql(perMinute).collect()) {
            while (windows.size() < 2) {
                windows.add(rows.next().toString());
            }
        }
        assertThat(windows).containsExactly("+I[2026-11-23T10:00, 3]", "+I[2026-11-23T10:01, 2]");
        // Options change on a table with computed columns, which survive; so does the watermark.
        batch.executeSql("ALTER TABLE shop.page_views SET ('owner' = 'web-team')");
        batch.executeSql("ALTER TABLE shop.page_views MODIFY WATERMARK FOR ts AS ts - INTERVAL '5' MINUTE");
        assertThat(collect(batch.executeSql("SHOW CREATE TABLE shop.page_views")).get(0).getField(0).toString())
                .contains("'owner' = 'web-team'").contains("`minute_of` AS").contains("INTERVAL '5' MINUTE");
        // A nullable column at the end: earlier rows read null in it, the computed column still works.
        batch.executeSql("ALTER TABLE shop.page_views ADD referrer STRING COMMENT 'where from'");
        batch.executeSql("INSERT INTO shop.page_views VALUES (4, '/d', TIMESTAMP '2026-11-23 11:00:01', 'search')")
                .await();
        assertThat(collect(batch.executeSql("SELECT user_id, referrer, minute_of FROM shop.page_views"
                + " WHERE user_id IN (3, 4)"))).extracting(Row::toString)
                .containsExactlyInAnyOrder("+I[3, null, 10:01]", "+I[4, search, 11:00]");
        assertThat(collect(batch.executeSql("SHOW CREATE TABLE shop.page_views")).get(0).getField(0).toString())
                .contains("`referrer` VARCHAR(2147483647) COMMENT 'where from'").contains("`minute_of` AS");
        // Other changes to physical columns are refused, naming table and column; the table stays usable.
        assertThatThrownBy(() -> batch.executeSql("ALTER TABLE shop.page_views ADD visits INT NOT NULL"))
                .hasStackTraceContaining("shop.page_views").hasStackTraceContaining("`visits` must be nullable");
        assertThatThrownBy(() -> batch.executeSql("ALTER TABLE shop.page_views ADD visits INT FIRST"))
                .hasStackTraceContaining("shop.page_views").hasStackTraceContaining("`user_id` was dropped, renamed or moved");
        assertThatThrownBy(() -> batch.executeSql("ALTER TABLE shop.page_views MODIFY url BIGINT"))
                .hasStackTraceContaining("`url` would change from STRING to BIGINT");
        assertThatThrownBy(() -> batch.executeSql("ALTER TABLE shop.page_views DROP referrer"))
                .hasStackTraceContaining("`referrer` was dropped");
        assertThat(collect(batch.executeSql("SELECT COUNT(*) FROM shop.page_views")).get(0).getField(0)).isEqualTo(7L);
        assertThatThrownBy(() -> batch.executeSql("CREATE TABLE shop.meta (id BIGINT, t TIMESTAMP_LTZ(3) METADATA)"))
                .hasStackTraceContaining("shop.meta").hasStackTraceContaining("metadata column `t`")
                .hasStackTraceContaining("commit_timestamp");
    }

    @Test
    void metadataColumnsGiveEachRowItsCommitTimeOffsetAndBucket() throws Exception {
        batch.executeSql("CREATE TABLE shop.events_meta (id BIGINT, committed TIMESTAMP_LTZ(3) METADATA FROM"
                + " 'commit_timestamp' VIRTUAL, pos BIGINT METADATA FROM 'offset' VIRTUAL, `bucket` INT METADATA VIRTUAL,"
                + " WATERMARK FOR committed AS committed) WITH ('bucket.num' = '1')");
        long before = System.currentTimeMillis();
        batch.executeSql("INSERT INTO shop.events_meta (id) VALUES (10), (11)").await();
        List<Row> rows = collect(batch.executeSql("SELECT id, committed, pos, `bucket` FROM shop.events_meta"));
        assertThat(rows).extracting(r -> r.getField(0)).containsExactlyInAnyOrder(10L, 11L);
        assertThat(rows).extracting(r -> r.getField(2) + "/" + r.getField(3)).containsExactlyInAnyOrder("0/0", "1/0");
        assertThat(rows).allSatisfy(r -> assertThat(((java.time.Instant) r.getField(1)).toEpochMilli())
                .isBetween(before - 1000, System.currentTimeMillis()));
        // Only metadata, no column: the projection and the metadata both reach the source.
        assertThat(collect(batch.executeSql("SELECT pos FROM shop.events_meta"))).hasSize(2);
    }

    @Test
    void wrongReadOptionsAreErrorsNamingTableAndOption() {
        batch.executeSql("CREATE TABLE shop.tuned (id BIGINT) WITH ('bucket.num' = '1')");
        for (String hint : List.of("'scan.startup.mode' = 'sometime'", "'scan.startup.mode' = 'TIMESTAMP'",
                "'scan.partition.discovery.interval' = 'often'", "'lookup.async' = 'maybe'")) {
            String option = hint.substring(1, hint.indexOf('\'', 1));
            assertThatThrownBy(() -> batch.executeSql("SELECT * FROM shop.tuned /*+ OPTIONS(" + hint + ") */"))
                    .as(hint).hasStackTraceContaining("shop.tuned").hasStackTraceContaining(option);
        }
        assertThat(collect(batch.executeSql("SHOW TABLES IN shop"))).isNotEmpty();
    }

    @Test
    void partitionFiltersAndProjectionsReachTheServersAsThePlanAndTheBytesFetchedShow() throws Exception {
        batch.executeSql("CREATE TABLE shop.visits (id BIGINT, page STRING, payload STRING, dt STRING)"
                + " PARTITIONED BY (dt) WITH ('bucket.num' = '1')");
        batch.executeSql("ALTER TABLE shop.visits ADD PARTITION (dt = '2026-11-22') PARTITION (dt = '2026-11-23')");
        java.util.Random random = new java.util.Random(7); // incompressible payloads: bytes follow the columns read
        String rows = java.util.stream.IntStream.range(0, 600).mapToObj(n -> "(" + n + ", 'page', '"
                + random.ints(200, 'a', 'z' + 1).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                        StringBuilder::append) + "', '"
                + (n % 2 == 0 ? "2026-11-22" : "2026-11-23") + "')").collect(Collectors.joining(", "));
        batch.executeSql("INSERT INTO shop.visits VALUES " + rows).await();
        String pruned = "SELECT id FROM shop.visits WHERE dt = '2026-11-23'";
        // The plan hands the source one partition and one column ...
        assertThat(batch.explainSql(pruned)).contains("partitions=[{dt=2026-11-23}]").contains("project=[id]");
        assertThat(collect(batch.executeSql(pruned))).hasSize(300)
                .allSatisfy(row -> assertThat((Long) row.getField(0) % 2).isEqualTo(1));
        // ... and a scanner reading one column gets far fewer bytes from the servers than one reading all.
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            io.thermocline.client.api.Table visits = connection.table(TablePath.of("shop", "visits"));
            long partition = connection.admin().listPartitions(TablePath.of("shop", "visits")).join().stream()
                    .filter(p -> p.name().contains("2026-11-23")).findFirst().orElseThrow().partitionId();
            long all = bytesFetched(visits.newLogScanner(), partition);
            long projected = bytesFetched(visits.newLogScanner(new int[] {0}), partition);
            assertThat(projected).isPositive().isLessThan(all / 4);
        }
    }

    /** Reads a partition's 300 rows; the bytes of row batches the servers sent. */
    private static long bytesFetched(LogScanner scanner, long partition) {
        try (scanner) {
            scanner.subscribe(partition, 0, LogScanner.EARLIEST);
            int rows = 0;
            while (rows < 300) {
                rows += scanner.poll(Duration.ofSeconds(1)).size();
            }
            return scanner.bytesFetched();
        }
    }

    private static List<Row> collect(TableResult result) {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}

package io.thermocline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.tiering.testutils.TieringRounds;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's fast path on a real cluster: key and prefix lookups answered without a Flink job
 * (the Flink cluster's job count does not move), prepared statements that stop planning, EXPLAIN,
 * the option that turns it off, read-your-writes, a lake-enabled table's current state, and errors.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServingITCase {
    @RegisterExtension
    @Order(1)
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).lake().build();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    static ThermoclineGateway gateway;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        gateway = ThermoclineGateway.start(JdbcGatewayITCase.conf(CLUSTER, FLINK, Map.of()));
        url = gateway.jdbcUrl("127.0.0.1");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kv (id BIGINT NOT NULL, v STRING, n INT, PRIMARY KEY (id) NOT ENFORCED)"
                    + " WITH ('bucket.num' = '3')");
            statement.execute("CREATE TABLE orders (shop INT NOT NULL, id INT NOT NULL, amount DECIMAL(10, 2),"
                    + " PRIMARY KEY (shop, id) NOT ENFORCED) WITH ('bucket.num' = '2', 'bucket.key' = 'shop')");
        }
        try (io.thermocline.client.api.Connection client = ConnectionFactory.create(CLUSTER.clientConf())) {
            UpsertWriter kv = client.table(TablePath.of("default", "kv")).newUpsertWriter();
            for (long id = 0; id < 100; id++) {
                kv.upsert(GenericRow.of(id, BinaryString.fromString("v" + id), id % 2 == 0 ? (int) id : null));
            }
            kv.flush();
            UpsertWriter orders = client.table(TablePath.of("default", "orders")).newUpsertWriter();
            for (int shop = 1; shop <= 3; shop++) {
                for (int id = 1; id <= 5; id++) {
                    orders.upsert(GenericRow.of(shop, id, new java.math.BigDecimal(shop * 100 + id + ".50")));
                }
            }
            orders.flush();
        }
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void keyLookupsAreAnsweredWithoutAFlinkJob() throws Exception {
        int jobs = flinkJobs();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            assertThat(rows(statement, "SELECT v, n FROM kv WHERE id = 4")).containsExactly("v4|4");
            assertThat(rows(statement, "SELECT v, n FROM kv WHERE id = 5")).containsExactly("v5|null");
            assertThat(rows(statement, "SELECT id FROM kv WHERE id IN (1, 2, 3, 1000)"))
                    .containsExactlyInAnyOrder("1", "2", "3");
            assertThat(rows(statement, "SELECT id, UPPER(v) FROM kv WHERE id IN (7, 8, 9) AND n IS NULL"))
                    .containsExactlyInAnyOrder("7|V7", "9|V9");
            assertThat(rows(statement, "SELECT * FROM kv WHERE id = 1000")).isEmpty();
            // A prefix lookup by the bucket key that leads the primary key, with a filter on the rows found.
            assertThat(rows(statement, "SELECT id, amount FROM orders WHERE shop = 2 AND amount > 203"))
                    .containsExactlyInAnyOrder("3|203.50", "4|204.50", "5|205.50");
            assertThat(jobs(statement, "EXPLAIN SELECT v FROM kv WHERE id = 4"))
                    .contains("== Thermocline Execution ==", "served by the gateway without a Flink job: point lookups"
                            + " of 1 key (id) in default.kv");
            assertThat(jobs(statement, "EXPLAIN SELECT id FROM orders WHERE shop IN (1, 2)"))
                    .contains("prefix lookups of 2 bucket-key values (shop) in default.orders");
        }
        assertThat(flinkJobs()).isEqualTo(jobs);
    }

    @Test
    void otherQueriesRunAsFlinkJobsAndExplainSaysWhy() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            assertThat(jobs(statement, "EXPLAIN SELECT v FROM kv WHERE n = 4"))
                    .contains("a Flink job: its filters fix neither the whole primary key (id)");
            assertThat(jobs(statement, "EXPLAIN SELECT COUNT(*) FROM kv WHERE id = 4"))
                    .contains("a Flink job: it has an aggregate");
            assertThat(jobs(statement, "EXPLAIN SELECT v FROM kv WHERE id IN (1, 2) ORDER BY v"))
                    .contains("a Flink job: it has a sort");
            assertThat(jobs(statement, "EXPLAIN SELECT v FROM kv WHERE id IN (1, 2) LIMIT 1"))
                    .contains("a Flink job: it is a LIMIT, served only for log tables");
            assertThat(jobs(statement, "EXPLAIN SELECT v, CURRENT_TIMESTAMP FROM kv WHERE id = 1"))
                    .contains("a Flink job: it calls CURRENT_TIMESTAMP, whose value is fixed per job");
            assertThat(jobs(statement, "EXPLAIN SELECT * FROM `kv$changelog` WHERE id = 1"))
                    .contains("a Flink job: it is not a read of a primary-key table's current rows");
            String shops = java.util.stream.IntStream.range(0, 101).mapToObj(Integer::toString)
                    .collect(java.util.stream.Collectors.joining(", "));
            String ids = java.util.stream.IntStream.range(0, 100).mapToObj(Integer::toString)
                    .collect(java.util.stream.Collectors.joining(", "));
            assertThat(jobs(statement, "EXPLAIN SELECT amount FROM orders WHERE shop IN (" + shops + ") AND id IN ("
                    + ids + ")")).contains("a Flink job: it would make 10100 lookups, more than 10000");
            int jobs = flinkJobs();
            assertThat(rows(statement, "SELECT v FROM kv WHERE n = 4")).containsExactly("v4");
            assertThat(flinkJobs()).isEqualTo(jobs + 1);
            statement.execute("SET 'thermocline.optimizer.fast-path' = 'false'");
            assertThat(jobs(statement, "EXPLAIN SELECT v FROM kv WHERE id = 4"))
                    .contains("a Flink job: thermocline.optimizer.fast-path is false");
            assertThat(rows(statement, "SELECT v FROM kv WHERE id = 4")).containsExactly("v4");
            assertThat(flinkJobs()).isEqualTo(jobs + 2);
        }
    }

    @Test
    void aPreparedLookupStopsPlanningOnceItsPlanIsLearned() throws Exception {
        int jobs = flinkJobs();
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement select = connection.prepareStatement("SELECT v FROM kv WHERE id = ?")) {
            long planned = gateway.meta().statementsPlanned();
            for (long id = 10; id < 40; id++) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("v" + id);
                    assertThat(rs.next()).isFalse();
                }
            }
            // The first two executions are planned, with different values; the others only bind and look up.
            assertThat(gateway.meta().statementsPlanned() - planned).isEqualTo(2);
            select.setInt(1, 1000);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isFalse();
            }
            select.setString(1, "12"); // not a BIGINT value: planned, and Flink's validator refuses it
            assertThatThrownBy(select::executeQuery).isInstanceOf(SQLException.class)
                    .hasMessageContaining("implicit type conversion between BIGINT and CHAR is not supported");
            assertThat(gateway.meta().statementsPlanned() - planned).isEqualTo(3);
        }
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, amount FROM orders WHERE shop = ? AND id IN (?, 2)")) {
            int[][] bindings = {{1, 1}, {2, 3}, {3, 5}, {3, 2}};
            String[][] expected = {{"1|101.50", "2|102.50"}, {"2|202.50", "3|203.50"}, {"2|302.50", "5|305.50"},
                {"2|302.50"}};
            for (int i = 0; i < bindings.length; i++) {
                select.setInt(1, bindings[i][0]);
                select.setInt(2, bindings[i][1]);
                try (ResultSet rs = select.executeQuery()) {
                    List<String> found = new ArrayList<>();
                    while (rs.next()) {
                        found.add(rs.getInt(1) + "|" + rs.getBigDecimal(2));
                    }
                    assertThat(found).containsExactlyInAnyOrder(expected[i]);
                }
            }
        }
        assertThat(flinkJobs()).isEqualTo(jobs);
    }

    @Test
    void aLearnedPlanIsForgottenWhenTheSessionChanges() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE other");
            statement.execute("CREATE TABLE other.kv (id BIGINT NOT NULL, v STRING, n INT,"
                    + " PRIMARY KEY (id) NOT ENFORCED)");
            statement.executeUpdate("INSERT INTO other.kv VALUES (1, 'other1', 1), (2, 'other2', 2)");
            try (PreparedStatement select = connection.prepareStatement("SELECT v FROM kv WHERE id = ?")) {
                for (long id = 1; id <= 3; id++) {
                    select.setLong(1, id);
                    try (ResultSet rs = select.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("v" + id);
                    }
                }
                statement.execute("USE other"); // kv is another table now
                select.setLong(1, 2);
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("other2");
                }
            }
        }
    }

    @Test
    void aGatewayOptionTurnsTheFastPathOffForEverySession() throws Exception {
        try (ThermoclineGateway off = ThermoclineGateway.start(JdbcGatewayITCase.conf(CLUSTER, FLINK,
                Map.of("flink.thermocline.optimizer.fast-path", "false")));
                Connection connection = DriverManager.getConnection(off.jdbcUrl("127.0.0.1"));
                Statement statement = connection.createStatement()) {
            assertThat(jobs(statement, "EXPLAIN SELECT v FROM kv WHERE id = 4"))
                    .contains("a Flink job: thermocline.optimizer.fast-path is false");
        }
    }

    @Test
    void aLookupSeesEveryAcknowledgedWriteAndALakeEnabledTablesCurrentState() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                io.thermocline.client.api.Connection client = ConnectionFactory.create(CLUSTER.clientConf())) {
            statement.execute("CREATE TABLE profiles (id INT NOT NULL, name STRING, PRIMARY KEY (id) NOT ENFORCED)"
                    + " WITH ('bucket.num' = '1', 'table.datalake.enabled' = 'true', 'table.datalake.freshness' = '1 s')");
            TablePath path = TablePath.of("default", "profiles");
            UpsertWriter writer = client.table(path).newUpsertWriter();
            writer.upsert(GenericRow.of(1, BinaryString.fromString("ann")));
            writer.upsert(GenericRow.of(2, BinaryString.fromString("bob")));
            writer.flush();
            TieringRounds.tierUntil(CLUSTER, path, Map.of(new TableBucket(client.admin().getTable(path).get()
                    .tableId(), 0), 2L));
            writer.upsert(GenericRow.of(2, BinaryString.fromString("bobby"))); // newer than the lake
            writer.delete(GenericRow.of(1, null));
            writer.flush();
            assertThat(rows(statement, "SELECT id, name FROM profiles WHERE id IN (1, 2)")).containsExactly("2|bobby");
            try (PreparedStatement select = connection.prepareStatement("SELECT name FROM profiles WHERE id = ?")) {
                for (int i = 0; i < 20; i++) {
                    writer.upsert(GenericRow.of(3, BinaryString.fromString("n" + i)));
                    writer.flush(); // acknowledged: the next lookup must see it
                    select.setInt(1, 3);
                    try (ResultSet rs = select.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("n" + i);
                    }
                }
            }
        }
    }

    @Test
    void aLimitOfALogTableReadsTheFirstRowsOfItsBuckets() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                io.thermocline.client.api.Connection client = ConnectionFactory.create(CLUSTER.clientConf())) {
            statement.execute("CREATE TABLE clicks (id INT, page STRING) WITH ('bucket.num' = '3')");
            statement.execute("CREATE TABLE empty_log (id INT) WITH ('bucket.num' = '2')");
            try (AppendWriter writer = client.table(TablePath.of("default", "clicks")).newAppendWriter()) {
                for (int id = 0; id < 300; id++) {
                    writer.append(GenericRow.of(id, BinaryString.fromString("/p" + id % 7)));
                }
                writer.flush();
            }
            int jobs = flinkJobs();
            assertThat(jobs(statement, "EXPLAIN SELECT id FROM clicks WHERE page = '/p3' LIMIT 10")).contains(
                    "served by the gateway without a Flink job: the first 10 rows from the start of the buckets of"
                    + " default.clicks");
            List<String> some = rows(statement, "SELECT id, page FROM clicks WHERE page = '/p3' LIMIT 10");
            assertThat(some).hasSize(10).doesNotHaveDuplicates()
                    .allSatisfy(row -> assertThat(Integer.parseInt(row.split("\\|")[0]) % 7).isEqualTo(3));
            // More than the table has: every row that passes the filter, once.
            List<String> all = rows(statement, "SELECT id FROM clicks WHERE page = '/p3' LIMIT 1000");
            assertThat(all).hasSize(43).doesNotHaveDuplicates();
            assertThat(rows(statement, "SELECT * FROM clicks LIMIT 300")).hasSize(300).doesNotHaveDuplicates();
            assertThat(rows(statement, "SELECT * FROM empty_log LIMIT 5")).isEmpty();
            assertThat(flinkJobs()).isEqualTo(jobs);
            // A lake-enabled log table whose log still starts at offset 0 holds every row in its hot tier.
            statement.execute("CREATE TABLE lake_clicks (id INT) WITH ('bucket.num' = '1',"
                    + " 'table.datalake.enabled' = 'true')");
            try (AppendWriter writer = client.table(TablePath.of("default", "lake_clicks")).newAppendWriter()) {
                writer.append(GenericRow.of(7)).get();
            }
            assertThat(rows(statement, "SELECT id FROM lake_clicks LIMIT 5")).containsExactly("7");
            assertThat(flinkJobs()).isEqualTo(jobs);
            assertThat(jobs(statement, "EXPLAIN SELECT * FROM `lake_clicks$lake` LIMIT 5"))
                    .contains("a Flink job: it reads a table of another connector");
            statement.execute("CREATE TABLE daily_clicks (id INT, dt STRING) PARTITIONED BY (dt)");
            assertThat(jobs(statement, "EXPLAIN SELECT * FROM daily_clicks LIMIT 5"))
                    .contains("a Flink job: it is a LIMIT, served only for log tables without partitions");
            assertThat(jobs(statement, "EXPLAIN SELECT * FROM clicks LIMIT 10 OFFSET 5")).contains("a Flink job");
            assertThat(jobs(statement, "EXPLAIN SELECT * FROM clicks LIMIT 20000"))
                    .contains("a Flink job: its LIMIT 20000 is more than 10000 rows");
        }
    }

    @Test
    void theNewestOrOldestRowsOfALogTableAreReadFromTheEndsOfItsBuckets() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                Connection flinkPath = DriverManager.getConnection(url); Statement flink = flinkPath.createStatement();
                io.thermocline.client.api.Connection client = ConnectionFactory.create(CLUSTER.clientConf())) {
            flink.execute("SET 'thermocline.optimizer.fast-path' = 'false'");
            statement.execute("CREATE TABLE events (id INT, kind STRING, ts TIMESTAMP_LTZ(3) METADATA FROM"
                    + " 'commit_timestamp' VIRTUAL, pos BIGINT METADATA FROM 'offset' VIRTUAL) WITH ('bucket.num' = '3')");
            try (AppendWriter writer = client.table(TablePath.of("default", "events")).newAppendWriter()) {
                for (int round = 0; round < 8; round++) { // several commits, so several commit times
                    for (int i = 0; i < 40; i++) {
                        int id = round * 40 + i;
                        writer.append(GenericRow.of(id, BinaryString.fromString(id % 3 == 0 ? "buy" : "view")));
                    }
                    writer.flush();
                }
            }
            int jobs = flinkJobs();
            for (String order : new String[] {"ts DESC", "ts", "pos DESC"}) {
                for (String where : new String[] {"", " WHERE kind = 'buy'"}) {
                    String sql = "SELECT id, ts, pos FROM events" + where + " ORDER BY " + order + " LIMIT 7";
                    assertThat(jobs(statement, "EXPLAIN " + sql)).as(sql).contains("served by the gateway");
                    List<String> served = rows(statement, sql);
                    List<String> expected = rows(flink, sql);
                    // Rows that tie on the order may differ; the order values may not.
                    int column = order.startsWith("ts") ? 1 : 2;
                    assertThat(served.stream().map(row -> row.split("\\|")[column]).toList()).as(sql)
                            .isEqualTo(expected.stream().map(row -> row.split("\\|")[column]).toList());
                    List<String> all = rows(flink, "SELECT id, ts, pos FROM events" + where);
                    assertThat(all).as(sql).containsAll(served);
                }
            }
            assertThat(jobs(statement, "EXPLAIN SELECT id FROM events ORDER BY id DESC LIMIT 3"))
                    .contains("a Flink job: it orders by something other than a commit_timestamp or offset");
            assertThat(flinkJobs()).isEqualTo(jobs + 12); // the 6 queries and 6 full reads without the fast path
        }
    }

    @Test
    void aPartitionedTableIsLookedUpInThePartitionsItsKeysName() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE daily (dt STRING NOT NULL, id INT NOT NULL, v STRING,"
                    + " PRIMARY KEY (dt, id) NOT ENFORCED) PARTITIONED BY (dt) WITH ('bucket.num' = '2')");
            statement.execute("ALTER TABLE daily ADD PARTITION (dt = '2026-12-01') PARTITION (dt = '2026-12-02')"
                    + " PARTITION (dt = '2026-12-03')");
            statement.executeUpdate("INSERT INTO daily VALUES ('2026-12-01', 1, 'a'), ('2026-12-02', 1, 'b'),"
                    + " ('2026-12-02', 2, 'c')");
            int jobs = flinkJobs();
            assertThat(jobs(statement, "EXPLAIN SELECT v FROM daily WHERE dt = '2026-12-02' AND id = 1"))
                    .contains("served by the gateway without a Flink job: point lookups of 1 key (dt, id)");
            assertThat(rows(statement, "SELECT v FROM daily WHERE dt = '2026-12-02' AND id = 1")).containsExactly("b");
            assertThat(rows(statement, "SELECT dt, v FROM daily WHERE dt IN ('2026-12-01', '2026-12-02') AND id = 1"))
                    .containsExactlyInAnyOrder("2026-12-01|a", "2026-12-02|b");
            assertThat(flinkJobs()).isEqualTo(jobs);
            // A filter that leaves every partition fixes nothing (it could not tell today's partitions from
            // tomorrow's), and one that leaves none is an empty plan: both run as Flink jobs.
            assertThat(jobs(statement, "EXPLAIN SELECT v FROM daily WHERE dt LIKE '2026-12-%' AND id = 1"))
                    .contains("a Flink job: its filters fix neither the whole primary key (dt, id)");
            assertThat(rows(statement, "SELECT v FROM daily WHERE dt = '2026-12-09' AND id = 1")).isEmpty();
        }
    }

    @Test
    void aDroppedTableIsAnErrorNamingIt() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE gone (id INT NOT NULL, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
            statement.executeUpdate("INSERT INTO gone VALUES (1, 'a')");
            try (PreparedStatement select = connection.prepareStatement("SELECT v FROM gone WHERE id = ?")) {
                for (int id = 1; id <= 3; id++) {
                    select.setInt(1, id);
                    select.executeQuery().close();
                }
                try (Connection other = DriverManager.getConnection(url); Statement drop = other.createStatement()) {
                    drop.execute("DROP TABLE gone");
                }
                select.setInt(1, 1);
                assertThatThrownBy(select::executeQuery).isInstanceOf(SQLException.class).hasMessageContaining("gone");
                try (Connection other = DriverManager.getConnection(url); Statement create = other.createStatement()) {
                    create.execute("CREATE TABLE gone (id INT NOT NULL, w INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)");
                    create.executeUpdate("INSERT INTO gone VALUES (1, 7, 'b')");
                }
                try (ResultSet rs = select.executeQuery()) { // planned again against the new table
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("b");
                }
            }
        }
    }

    static List<String> rows(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            return rows(rs);
        }
    }

    /** Each row's values as text, joined by {@code |}. */
    static List<String> rows(ResultSet rs) throws SQLException {
        List<String> rows = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                row.append(i > 1 ? "|" : "").append(rs.getString(i));
            }
            rows.add(row.toString());
        }
        return rows;
    }

    private static String jobs(Statement statement, String explain) throws SQLException {
        return String.join("\n", rows(statement, explain));
    }

    private static int flinkJobs() throws Exception {
        return flinkJobs(FLINK);
    }

    /** Jobs the Flink cluster has run or runs, from its REST API. */
    static int flinkJobs(MiniClusterExtension cluster) throws Exception {
        Configuration flink = cluster.getClientConfiguration();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                + flink.get(RestOptions.ADDRESS) + ":" + flink.get(RestOptions.PORT) + "/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher ids = Pattern.compile("\"id\"").matcher(response.body());
        int count = 0;
        while (ids.find()) {
            count++;
        }
        return count;
    }
}

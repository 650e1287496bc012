package io.thermocline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.metadata.TableBucket;
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
import org.junit.jupiter.api.io.TempDir;

import sqlline.SqlLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway through Avatica's thin JDBC driver, on a real cluster and a Flink MiniCluster: DDL,
 * DML, queries (union reads), prepared statements, metadata, paging, isolation, cancel and errors.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JdbcGatewayITCase {
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
    static void startGateway() {
        gateway = ThermoclineGateway.start(conf(Map.of("gateway.statement.max-length", "100000")));
        url = gateway.jdbcUrl("127.0.0.1");
    }

    /** Gateway options on this test's cluster, with jobs on the shared MiniCluster. */
    static Map<String, String> conf(Map<String, String> extra) {
        return conf(CLUSTER, FLINK, extra);
    }

    /** Gateway options on a cluster, with jobs on a MiniCluster. */
    static Map<String, String> conf(TestCluster cluster, MiniClusterExtension miniCluster, Map<String, String> extra) {
        Map<String, String> conf = new HashMap<>();
        conf.put("bootstrap.servers", cluster.bootstrapServers());
        conf.put("gateway.port", "0");
        conf.put("gateway.host", "127.0.0.1");
        Configuration flink = miniCluster.getClientConfiguration();
        conf.put("flink.execution.target", "remote");
        conf.put("flink.rest.address", flink.get(RestOptions.ADDRESS));
        conf.put("flink.rest.port", Integer.toString(flink.get(RestOptions.PORT)));
        conf.putAll(extra);
        return conf;
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void ddlInsertSelectAndAPrimaryKeyLookup() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            assertThat(statement.execute("CREATE TABLE accounts (id INT NOT NULL, name STRING, balance DECIMAL(10, 2),"
                    + " opened DATE, seen TIMESTAMP(3), PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket.num' = '2')"))
                    .isFalse();
            assertThat(statement.executeUpdate("INSERT INTO accounts VALUES (1, 'ann', 10.50, DATE '2026-01-02',"
                    + " TIMESTAMP '2026-11-23 10:00:01.250'), (2, 'bob', 20.00, CAST(NULL AS DATE),"
                    + " CAST(NULL AS TIMESTAMP(3))), (3, 'cy', CAST(NULL AS DECIMAL(10, 2)),"
                    + " CAST(NULL AS DATE), CAST(NULL AS TIMESTAMP(3)))"))
                    .isZero(); // batch mode: returns once the job is done
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT id, name, balance, opened, seen FROM accounts ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getBigDecimal(3) + "|" + rs.getDate(4)
                            + "|" + (rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toLocalDateTime()));
                }
            }
            assertThat(rows).containsExactly("1|ann|10.50|2026-01-02|2026-11-23T10:00:01.250", "2|bob|20.00|null|null",
                    "3|cy|null|null|null");
            // A key lookup: the filter fixes the primary key, so the KV tablets answer it.
            try (ResultSet plan = statement.executeQuery("EXPLAIN SELECT name FROM accounts WHERE id = 2")) {
                assertThat(plan.next()).isTrue();
                assertThat(plan.getString(1)).contains("accounts, filter=[=(id, 2)]"); // taken by the source: KV lookups
            }
            try (ResultSet rs = statement.executeQuery("SELECT name FROM accounts WHERE id = 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("bob");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void aSelectIsAUnionReadOfLakeAndHotTier() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE visits (id BIGINT NOT NULL, page STRING) WITH ('bucket.num' = '1',"
                    + " 'table.datalake.enabled' = 'true', 'table.datalake.freshness' = '1 s')");
            statement.executeUpdate("INSERT INTO visits VALUES (1, '/a'), (2, '/b'), (3, '/c')");
            TablePath path = TablePath.of("default", "visits");
            try (io.thermocline.client.api.Connection client = ConnectionFactory.create(CLUSTER.clientConf())) {
                TieringRounds.tierUntil(CLUSTER, path, Map.of(new TableBucket(client.admin().getTable(path).get()
                        .tableId(), 0), 3L));
            }
            statement.executeUpdate("INSERT INTO visits VALUES (4, '/d'), (5, '/e')"); // hot only
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*), SUM(id) FROM visits")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(5);
                assertThat(rs.getLong(2)).isEqualTo(15);
            }
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM `visits$lake`")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(3); // the lake alone has the tiered rows
            }
        }
    }

    @Test
    void preparedStatementsBindParametersAsLiterals() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE people (id INT NOT NULL, name STRING, born DATE, score DECIMAL(5, 1),"
                    + " active BOOLEAN, PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket.num' = '1')");
            // Flink types a bare NULL in VALUES by nothing: a CAST gives a bound NULL its type.
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO people VALUES (?, ?, CAST(? AS DATE), CAST(? AS DECIMAL(5, 1)), ?)")) {
                insert.setInt(1, 1);
                insert.setString(2, "O'Brien; DROP TABLE people --"); // stays a value
                insert.setDate(3, Date.valueOf("1990-05-17"));
                insert.setBigDecimal(4, new BigDecimal("12.5"));
                insert.setBoolean(5, true);
                assertThat(insert.executeUpdate()).isZero();
                insert.setInt(1, 2);
                insert.setString(2, "zoe");
                insert.setNull(3, java.sql.Types.DATE);
                insert.setNull(4, java.sql.Types.DECIMAL);
                insert.setBoolean(5, false);
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT name, born, score FROM people WHERE id = ? AND name <> '?' AND active = ?")) {
                select.setInt(1, 1);
                select.setBoolean(2, true);
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("O'Brien; DROP TABLE people --");
                    assertThat(rs.getDate(2)).isEqualTo(Date.valueOf("1990-05-17"));
                    assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("12.5");
                }
                select.setInt(1, 2);
                select.setBoolean(2, false);
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("zoe");
                    assertThat(rs.getDate(2)).isNull();
                }
            }
            try (PreparedStatement wrong = connection.prepareStatement("SELECT nope FROM people WHERE id = ?")) {
                wrong.setInt(1, 1);
                assertThatThrownBy(wrong::executeQuery).isInstanceOf(SQLException.class)
                        .hasMessageContaining("Column 'nope' not found");
            }
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM people WHERE id > ?")) {
                count.setLong(1, 0L);
                try (ResultSet rs = count.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void metadataComesFromTheCatalog() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE meta_orders (oid BIGINT NOT NULL, cid INT, total DECIMAL(10, 2),"
                    + " PRIMARY KEY (oid) NOT ENFORCED) WITH ('bucket.num' = '1')");
            DatabaseMetaData meta = connection.getMetaData();
            assertThat(values(meta.getCatalogs(), "TABLE_CAT")).contains("thermocline");
            assertThat(values(meta.getSchemas("thermocline", null), "TABLE_SCHEM")).contains("default");
            assertThat(values(meta.getTables("thermocline", "default", "meta_%", null), "TABLE_NAME"))
                    .containsExactly("meta_orders");
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns("thermocline", "default", "meta_orders", null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + " " + rs.getInt("DATA_TYPE") + " "
                            + rs.getString("IS_NULLABLE") + " " + rs.getInt("ORDINAL_POSITION"));
                }
            }
            assertThat(columns).containsExactly("oid " + java.sql.Types.BIGINT + " NO 1",
                    "cid " + java.sql.Types.INTEGER + " YES 2", "total " + java.sql.Types.DECIMAL + " YES 3");
            // Avatica's protocol has no primary-key call: the key shows in the columns' remarks and DESCRIBE.
            assertThat(values(meta.getColumns("thermocline", "default", "meta_orders", "oid"), "REMARKS"))
                    .containsExactly("PRIMARY KEY column 1 of 1");
            try (ResultSet rs = statement.executeQuery("DESCRIBE meta_orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("key")).isEqualTo("PRI(oid)");
            }
            assertThat(values(meta.getTableTypes(), "TABLE_TYPE")).contains("TABLE", "VIEW");
            assertThat(connection.getCatalog()).isEqualTo("thermocline");
            assertThat(connection.getSchema()).isEqualTo("default");
        }
    }

    @Test
    void aMillionRowsArePagedThroughFramesAndNeverHeldWhole() throws Exception {
        TablePath path = TablePath.of("default", "big");
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE big (id BIGINT) WITH ('bucket.num' = '2')");
            try (io.thermocline.client.api.Connection client = ConnectionFactory.create(CLUSTER.clientConf());
                    AppendWriter writer = client.table(path).newAppendWriter()) {
                for (long id = 0; id < 1_000_000; id++) {
                    writer.append(GenericRow.of(id));
                }
                writer.flush();
            }
            statement.setFetchSize(5_000);
            long rows = 0;
            long sum = 0;
            try (ResultSet rs = statement.executeQuery("SELECT id FROM big")) {
                while (rs.next()) {
                    rows++;
                    sum += rs.getLong(1);
                }
            }
            assertThat(rows).isEqualTo(1_000_000);
            assertThat(sum).isEqualTo(999_999L * 1_000_000 / 2);
            // Every frame was at most the fetch size (or the gateway's cap): the result moved in pages.
            assertThat(gateway.meta().largestFrame()).isLessThanOrEqualTo(10_000);
        }
    }

    @Test
    void twoConnectionsHaveSessionsOfTheirOwn() throws Exception {
        try (Connection first = DriverManager.getConnection(url); Connection second = DriverManager.getConnection(url);
                Statement one = first.createStatement(); Statement two = second.createStatement()) {
            one.execute("CREATE TEMPORARY VIEW only_here AS SELECT 1 AS x");
            one.execute("SET 'table.local-time-zone' = 'Asia/Tokyo'");
            try (ResultSet rs = one.executeQuery("SELECT x FROM only_here")) {
                assertThat(rs.next()).isTrue();
            }
            assertThatThrownBy(() -> two.executeQuery("SELECT x FROM only_here")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("only_here");
            assertThat(setting(one, "table.local-time-zone")).isEqualTo("Asia/Tokyo");
            assertThat(setting(two, "table.local-time-zone")).isNotEqualTo("Asia/Tokyo");
        }
    }

    @Test
    void aCanceledStreamingQueryEndsItsJobAndTheConnectionGoesOn() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement setup = connection.createStatement()) {
            setup.execute("CREATE TABLE ticks (n INT) WITH ('bucket.num' = '1')");
            setup.executeUpdate("INSERT INTO ticks VALUES (1), (2), (3)");
            setup.execute("SET 'execution.runtime-mode' = 'streaming'");
            Statement streaming = connection.createStatement();
            ResultSet rs = streaming.executeQuery("SELECT n FROM ticks");
            // The driver looks one row ahead: reading two of the three rows never waits for a fourth.
            List<String> seen = new ArrayList<>();
            while (seen.size() < 2 && rs.next()) {
                seen.add(rs.getString("op") + rs.getInt("n"));
            }
            assertThat(seen).hasSize(2).allMatch(row -> row.startsWith("+I"));
            streaming.cancel();
            assertThatThrownBy(rs::next).isInstanceOf(SQLException.class);
            streaming.close(); // ends the query's job on the server
            TestCluster.waitUntil(() -> runningJobs() == 0, java.time.Duration.ofSeconds(30),
                    "the canceled query's job to end");
            setup.execute("SET 'execution.runtime-mode' = 'batch'");
            try (ResultSet count = setup.executeQuery("SELECT COUNT(*) FROM ticks")) {
                assertThat(count.next()).isTrue();
                assertThat(count.getLong(1)).isEqualTo(3);
            }
        }
    }

    @Test
    void aStreamingQueryWithMaxRowsEndsAfterThemAndItsJobWithIt() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE events (id INT) WITH ('bucket.num' = '2')");
            statement.executeUpdate("INSERT INTO events VALUES (1), (2), (3), (4), (5)");
            statement.execute("SET 'execution.runtime-mode' = 'streaming'");
            statement.setMaxRows(3);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT id FROM events")) {
                assertThat(rs.getMetaData().getColumnName(1)).isEqualTo("op");
                while (rs.next()) {
                    rows.add(rs.getString(1) + rs.getInt(2));
                }
            }
            assertThat(rows).hasSize(3).allMatch(row -> row.startsWith("+I"));
            TestCluster.waitUntil(() -> runningJobs() == 0, java.time.Duration.ofSeconds(30),
                    "the streaming query's job to end");

            // A LIMIT the source cannot take (above a join) would keep Flink's job running forever:
            // the result ends after its rows, and the job with it. A LIMIT with ORDER BY is a changelog.
            statement.setMaxRows(0);
            statement.execute("CREATE TABLE event_names (id INT NOT NULL, name STRING, PRIMARY KEY (id) NOT ENFORCED)");
            statement.execute("SET 'execution.runtime-mode' = 'batch'");
            statement.executeUpdate("INSERT INTO event_names VALUES (1, 'one'), (2, 'two'), (3, 'three')");
            statement.execute("SET 'execution.runtime-mode' = 'streaming'");
            rows.clear();
            try (ResultSet rs = statement.executeQuery(
                    "SELECT e.id, n.name FROM events AS e JOIN event_names AS n ON e.id = n.id LIMIT 2")) {
                while (rs.next()) {
                    rows.add(rs.getString("op") + rs.getString("name"));
                }
            }
            assertThat(rows).hasSize(2).allMatch(row -> row.startsWith("+I"));
            TestCluster.waitUntil(() -> runningJobs() == 0, java.time.Duration.ofSeconds(30),
                    "the limited streaming query's job to end");
        }
    }

    @Test
    void aStreamingInsertReturnsItsJobIdAndKeepsRunning() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE clicks_in (id INT) WITH ('bucket.num' = '1')");
            statement.execute("CREATE TABLE clicks_out (id INT) WITH ('bucket.num' = '1')");
            statement.execute("SET 'execution.runtime-mode' = 'streaming'");
            String jobId;
            try (ResultSet rs = statement.executeQuery("INSERT INTO clicks_out SELECT id FROM clicks_in")) {
                assertThat(rs.next()).isTrue();
                jobId = rs.getString(1);
            }
            assertThat(jobId).matches("[0-9a-f]{32}");
            assertThat(runningJobs()).isEqualTo(1); // unbounded: it goes on after the statement returned
            statement.execute("SET 'execution.runtime-mode' = 'batch'");
            statement.executeUpdate("INSERT INTO clicks_in VALUES (7)");
            TestCluster.waitUntil(() -> {
                try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM clicks_out")) {
                    return rs.next() && rs.getLong(1) == 1;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, java.time.Duration.ofSeconds(30), "the streaming INSERT to copy the row");
            statement.execute("STOP JOB '" + jobId + "'");
            TestCluster.waitUntil(() -> runningJobs() == 0, java.time.Duration.ofSeconds(30), "the job to stop");
        }
    }

    @Test
    void badStatementsAreSqlExceptionsAndTheConnectionStaysUsable() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT FROM")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("SQL parse failed").hasMessageContaining("line 1, column 8");
            assertThatThrownBy(() -> statement.executeQuery("SELECT nope FROM (VALUES (1)) AS t(x)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("Column 'nope' not found")
                    .hasMessageContaining("line 1, column 8");
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM no_such_table"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no_such_table");
            assertThatThrownBy(() -> statement.executeQuery("SELECT 'a' + TRUE")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("Cannot apply '+'");
            String huge = "SELECT 1 AS x" + " ".repeat(100_001);
            assertThatThrownBy(() -> statement.executeQuery(huge)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("gateway.statement.max-length");
            try (ResultSet rs = statement.executeQuery("SELECT 41 + 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void aMalformedRequestBodyIsRefusedAndTheServerServesOn() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x0a, (byte) 0xff, 0x13, 0x37, 0x00}))
                .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isGreaterThanOrEqualTo(400);
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT 7")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(7);
        }
    }

    /** The README's interactive shell: sqlline with Avatica's driver, here running a script. */
    @Test
    void sqllineRunsAScriptThroughTheGateway(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("shop.sql"), String.join("\n",
                "CREATE TABLE shell_stock (sku INT NOT NULL, qty BIGINT, PRIMARY KEY (sku) NOT ENFORCED)"
                        + " WITH ('bucket.num' = '1');",
                "INSERT INTO shell_stock VALUES (1, 10), (2, 20);",
                "INSERT INTO shell_stock VALUES (2, 25);",
                "SELECT sku, qty FROM shell_stock ORDER BY sku;",
                "!quit", ""));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        SqlLine sqlline = new SqlLine();
        sqlline.setOutputStream(out);
        sqlline.setErrorStream(out);
        SqlLine.Status status = sqlline.begin(new String[] {"-u", url, "-n", "", "-p", "", "--outputformat=csv",
                "-f", script.toString()}, null, false);
        String text = output.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isEqualTo(SqlLine.Status.OK);
        assertThat(text).contains("'sku','qty'").contains("'1','10'").contains("'2','25'");
    }

    private static int runningJobs() {
        try (org.apache.flink.client.program.rest.RestClusterClient<String> client =
                new org.apache.flink.client.program.rest.RestClusterClient<>(FLINK.getClientConfiguration(), "test")) {
            return (int) client.listJobs().get().stream().filter(j -> !j.getJobState().isGloballyTerminalState())
                    .count();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String setting(Statement statement, String key) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SET")) {
            while (rs.next()) {
                if (rs.getString(1).equals(key)) {
                    return rs.getString(2);
                }
            }
        }
        return null;
    }

    private static List<String> values(ResultSet rs, String column) throws SQLException {
        List<String> values = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                values.add(rs.getString(column));
            }
        }
        return values;
    }
}

package io.thermocline.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.testflink.FlinkSessionCluster;
import io.thermocline.testflink.SqlGatewayClient;
import io.thermocline.testservers.KafkaServer;
import io.thermocline.testservers.ServerProcess;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.DriverManager;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Thermocline on a user's own Flink: a session cluster of separate processes started from Flink's
 * entry points on Flink's jars, with only the connector jar added to its lib/ (beside the official
 * Iceberg and Kafka connectors). The tiering job runs there from its application jar, uploaded
 * twice through the REST API; the README's guided tour runs through Flink's own SQL Gateway and
 * through our JDBC gateway, whose jobs run on the same cluster, and both answer alike; a DataStream
 * job compiled against the connector jar alone copies a table exactly once.
 */
class FlinkSessionClusterITCase {
    private static final Path CONNECTOR_JAR = Paths.get(System.getProperty("thermocline.connector.jar"));
    private static final Path TIERING_JAR = Paths.get(System.getProperty("thermocline.tiering.jar"));
    private static final int ORDERS = 2_000;
    private static final long SEED = 7;

    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().lake().build();

    @TempDir
    static Path dir;

    private static FlinkSessionCluster flink;
    private static SqlGatewayClient sqlGateway;
    private static final List<String> TIERING_JOBS = new ArrayList<>();

    @BeforeAll
    static void startFlinkTieringAndDemo() throws Exception {
        List<Path> lib = new ArrayList<>(List.of(CONNECTOR_JAR));
        lib.addAll(FlinkSessionCluster.officialConnectors());
        flink = FlinkSessionCluster.start(dir.resolve("flink"), lib, Map.of("taskmanager.numberOfTaskSlots", "8"), 1);
        // Two copies of the tiering job share the coordinator's queue: submitting more scales out.
        for (int i = 0; i < 2; i++) {
            TIERING_JOBS.add(flink.uploadAndRun(TIERING_JAR, List.of("--bootstrap-servers", CLUSTER.bootstrapServers(),
                    "--warehouse", CLUSTER.lakeWarehouse().toString())));
        }
        runDemo();
        awaitAllTiered();
        sqlGateway = flink.startSqlGateway();
    }

    @AfterAll
    static void stop() {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    void theTieringJarRunsAsTwoJobsThatTierEveryTable() {
        assertThat(flink.jobs("RUNNING")).containsAll(TIERING_JOBS);
        // awaitAllTiered (before all tests): every demo table's lake holds all of its hot rows
    }

    @Test
    void aTieringSubmissionWithAnUnknownOptionFailsNamingIt() {
        assertThatThrownBy(() -> flink.uploadAndRun(TIERING_JAR, List.of("--bootstrap-servers",
                CLUSTER.bootstrapServers(), "tiering.no-such-option=1"))).hasMessageContaining("tiering.no-such-option");
        assertThat(flink.jobs("RUNNING")).containsAll(TIERING_JOBS); // the cluster and its jobs carry on
    }

    @Test
    void theGuidedTourAnswersAlikeThroughFlinksSqlGatewayAndTheJdbcGateway() throws Exception {
        List<String> guide = PlaygroundITCase.guidedSql();
        SqlGatewayClient.Session session = sqlGateway.openSession(Map.of());
        session.execute("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + CLUSTER.bootstrapServers() + "')");
        session.execute("USE CATALOG tc");

        JdbcGateway jdbc = new JdbcGateway(dir.resolve("jdbc-gateway"), flink.restPort());
        jdbc.start();
        try (jdbc; java.sql.Connection connection = DriverManager.getConnection(jdbc.url());
                Statement statement = connection.createStatement()) {
            int compared = 0;
            for (String sql : guide) {
                if (!sql.startsWith("SELECT") && !sql.startsWith("EXPLAIN")) {
                    session.execute(sql);
                    statement.execute(sql);
                    continue;
                }
                // A streaming LIMIT over a join of changelogs never ends in Flink: read its first rows.
                int rows = sql.contains("LIMIT 5") ? 5 : Integer.MAX_VALUE;
                List<Map<String, Object>> viaFlink = normalized(session.execute(sql, rows).rows());
                List<Map<String, Object>> viaJdbc = normalized(PlaygroundITCase.rows(statement, sql));
                if (sql.startsWith("EXPLAIN")) {
                    assertThat(viaFlink).as(sql).hasSize(1);
                    assertThat(viaFlink.get(0).values().iterator().next().toString()).contains("TableSourceScan");
                } else if (sql.contains("LIMIT")) {
                    // streaming reads with LIMIT: any rows of the table, as many, with the same columns
                    assertThat(viaFlink).as(sql).hasSize(5);
                    assertThat(viaJdbc).as(sql).hasSize(5);
                    // the JDBC gateway shows a streaming row's change as a column, 'op'; the REST API beside the row
                    assertThat(viaJdbc).allMatch(row -> "+I".equals(row.remove("op")));
                    assertThat(viaFlink.get(0).keySet()).isEqualTo(viaJdbc.get(0).keySet());
                } else {
                    assertThat(viaFlink).as(sql).containsExactlyInAnyOrderElementsOf(viaJdbc);
                    compared++;
                }
            }
            assertThat(compared).isGreaterThanOrEqualTo(6);
        } finally {
            session.close();
        }
    }

    @Test
    void theOfficialKafkaAndIcebergConnectorsShareLibWithThermocline() throws Exception {
        SqlGatewayClient.Session session = sqlGateway.openSession(Map.of("execution.runtime-mode", "batch"));
        try (KafkaServer kafka = KafkaServer.start(dir.resolve("kafka"))) {
            session.execute("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                    + CLUSTER.bootstrapServers() + "')");
            session.execute("CREATE CATALOG ice WITH ('type' = 'iceberg', 'catalog-type' = 'hadoop', 'warehouse' = '"
                    + CLUSTER.lakeWarehouse().toUri() + "')");
            session.execute("CREATE TEMPORARY TABLE clicks (order_id BIGINT, page STRING) WITH ('connector' = 'kafka',"
                    + " 'topic' = 'clicks', 'properties.bootstrap.servers' = '" + kafka.bootstrapServers() + "',"
                    + " 'format' = 'json', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset')");
            String insert = session.execute("INSERT INTO clicks VALUES (1, 'home'), (2, 'cart'), (99999999, 'none')")
                    .rows().get(0).get("job id").toString();
            TestCluster.waitUntil(() -> List.of("FINISHED", "FAILED").contains(flink.jobStatus(insert)),
                    Duration.ofMinutes(2), "the Kafka insert to end");
            assertThat(flink.jobStatus(insert)).isEqualTo("FINISHED");
            // One query reading Kafka through Kafka's connector and the lake through Thermocline's t$lake.
            assertThat(normalized(session.execute("SELECT c.page, o.order_id FROM clicks AS c"
                    + " JOIN tc.demo.`orders$lake` AS o ON c.order_id = o.order_id").rows()))
                    .containsExactlyInAnyOrder(Map.of("page", "home", "order_id", "1"), Map.of("page", "cart", "order_id", "2"));
            // The official Iceberg connector reads the lake Thermocline tiered; t$lake reads the same rows.
            long viaIceberg = count(session, "SELECT COUNT(*) AS n FROM ice.demo.orders");
            long viaThermocline = count(session, "SELECT COUNT(*) AS n FROM tc.demo.`orders$lake`");
            assertThat(viaIceberg).isEqualTo(ORDERS).isEqualTo(viaThermocline);
        } finally {
            session.close();
        }
    }

    @Test
    void aDataStreamJobBuiltAgainstTheConnectorJarAloneCopiesATableExactlyOnce() throws Exception {
        TablePath source = TablePath.of("demo", "orders");
        TablePath copy = TablePath.of("demo", "orders_copy");
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            TableInfo orders = connection.admin().getTable(source).join();
            connection.admin().createTable(copy, TableDescriptor.builder(orders.schema()).buckets(2).build(), false).join();
        }
        Path jar = compileJob(dir.resolve("copy-job"));
        String job = flink.uploadAndRun(jar, List.of(CLUSTER.bootstrapServers(), "demo", "orders", "orders_copy"));
        TestCluster.waitUntil(() -> "FINISHED".equals(flink.jobStatus(job)) || "FAILED".equals(flink.jobStatus(job)),
                Duration.ofMinutes(3), "the copy job to end");
        assertThat(flink.jobStatus(job)).isEqualTo("FINISHED");

        SqlGatewayClient.Session session = sqlGateway.openSession(Map.of("execution.runtime-mode", "batch"));
        try {
            session.execute("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                    + CLUSTER.bootstrapServers() + "')");
            String summary = "SELECT COUNT(*) AS n, COUNT(DISTINCT order_id) AS ids, SUM(amount) AS total FROM tc.demo.";
            List<Map<String, Object>> original = normalized(session.execute(summary + "orders").rows());
            List<Map<String, Object>> copied = normalized(session.execute(summary + "orders_copy").rows());
            assertThat(copied).isEqualTo(original);
            assertThat(original.get(0)).containsEntry("n", Long.toString(ORDERS)).containsEntry("ids", Long.toString(ORDERS));
        } finally {
            session.close();
        }
    }

    /** A user's job: its own class only, compiled against the connector jar and Flink's lib/. */
    private static Path compileJob(Path workDir) throws IOException {
        Path src = Files.createDirectories(workDir.resolve("src/example"));
        Files.writeString(src.resolve("CopyJob.java"), String.join("\n",
                "package example;",
                "import io.thermocline.flink.sink.ThermoclineSink;",
                "import io.thermocline.flink.source.ThermoclineSource;",
                "import org.apache.flink.api.common.eventtime.WatermarkStrategy;",
                "import org.apache.flink.connector.base.DeliveryGuarantee;",
                "import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;",
                "public class CopyJob {",
                "  public static void main(String[] args) throws Exception {",
                "    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();",
                "    env.enableCheckpointing(500);",
                "    env.fromSource(ThermoclineSource.builder().bootstrapServers(args[0]).table(args[1], args[2])",
                "            .bounded(true).build(), WatermarkStrategy.noWatermarks(), \"source\")",
                "        .sinkTo(ThermoclineSink.builder().bootstrapServers(args[0]).table(args[1], args[3])",
                "            .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).build());",
                "    env.execute(\"copy \" + args[2] + \" to \" + args[3]);",
                "  }",
                "}", ""));
        Path classes = Files.createDirectories(workDir.resolve("classes"));
        String classpath = Stream.concat(Stream.of(CONNECTOR_JAR), FlinkSessionCluster.flinkLib().stream())
                .map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-classpath", classpath, "-d", classes.toString(),
                src.resolve("CopyJob.java").toString());
        assertThat(status).as("javac of the user's job against the connector jar").isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "example.CopyJob");
        Path jar = workDir.resolve("copy-job.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    private static long count(SqlGatewayClient.Session session, String sql) {
        return Long.parseLong(normalized(session.execute(sql).rows()).get(0).get("n").toString());
    }

    /** Values as both paths agree on them: numbers by value, timestamps as ISO local date-times. */
    private static List<Map<String, Object>> normalized(Collection<Map<String, Object>> rows) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> values = new LinkedHashMap<>();
            row.forEach((column, value) -> {
                if (column.startsWith("$")) {
                    return; // the REST API's row kind
                }
                if (value instanceof Number number) {
                    values.put(column, new BigDecimal(number.toString()).stripTrailingZeros().toPlainString());
                } else if (value instanceof Timestamp timestamp) {
                    values.put(column, timestamp.toLocalDateTime().toString());
                } else if (value instanceof String text && text.matches("\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d.*")) {
                    // UTC on both paths; fractions as LocalDateTime prints them (JSON drops trailing zeros)
                    values.put(column, java.time.LocalDateTime.parse(text.replaceFirst(" ", "T").replaceFirst("Z$", ""))
                            .toString());
                } else {
                    values.put(column, value == null ? null : value.toString());
                }
            });
            result.add(values);
        }
        return result;
    }

    /** {@code thermocline demo}'s workload, {@value #ORDERS} orders, in a process of its own. */
    private static void runDemo() throws Exception {
        Path out = dir.resolve("demo.out");
        Process demo = new ProcessBuilder(javaBin(), "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", "target/classes" + java.io.File.pathSeparator
                + Files.readString(Paths.get("target/runtime-classpath.txt")).trim(),
                "io.thermocline.playground.demo.DemoCommand", "--bootstrap-servers", CLUSTER.bootstrapServers(),
                "--orders", Integer.toString(ORDERS), "--rate", "5000", "--seed", Long.toString(SEED))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean ended = demo.waitFor(3, TimeUnit.MINUTES);
        demo.destroyForcibly();
        assertThat(ended).as("the demo ended:\n%s", Files.readString(out)).isTrue();
        assertThat(demo.exitValue()).as(Files.readString(out)).isZero();
    }

    private static void awaitAllTiered() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            for (String table : List.of("orders", "customers", "inventory")) {
                TablePath path = TablePath.of("demo", table);
                List<Integer> buckets = admin.getTable(path).join().buckets().stream().map(b -> b.bucket()).toList();
                long hot = admin.listOffsets(path, buckets, OffsetSpec.latest()).join().values().stream()
                        .mapToLong(Long::longValue).sum();
                TestCluster.waitUntil(() -> admin.getLakeSnapshot(path).join()
                        .map(s -> s.endOffsets().values().stream().mapToLong(Long::longValue).sum()).orElse(0L) == hot,
                        Duration.ofMinutes(3), "the tiering jobs on the Flink cluster to tier all of demo." + table);
            }
        }
    }

    private static String javaBin() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Our JDBC gateway as a user runs it in front of their Flink: its own jar and libraries with the
     * connector jar in place of the thin Thermocline modules, its SQL jobs sent to the session cluster.
     */
    private static final class JdbcGateway extends ServerProcess {
        private final int flinkRestPort;

        JdbcGateway(Path dir, int flinkRestPort) {
            super(dir);
            this.flinkRestPort = flinkRestPort;
        }

        String url() {
            return "jdbc:avatica:remote:url=http://127.0.0.1:" + port() + ";serialization=protobuf";
        }

        @Override
        protected List<String> command() throws IOException {
            String classpath = CONNECTOR_JAR + java.io.File.pathSeparator
                    + Files.readString(Paths.get("target/gateway-on-connector-classpath.txt")).trim();
            return List.of(javaBin(), "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx768m", "-cp", classpath,
                    "io.thermocline.gateway.GatewayMain", "--bootstrap-servers", CLUSTER.bootstrapServers(),
                    "--port", Integer.toString(port()), "--conf", "flink.execution.target=remote",
                    "--conf", "flink.rest.address=127.0.0.1", "--conf", "flink.rest.port=" + flinkRestPort);
        }

        @Override
        protected String name() {
            return "jdbc-gateway";
        }
    }
}

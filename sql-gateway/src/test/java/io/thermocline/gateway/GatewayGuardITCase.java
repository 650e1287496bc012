package io.thermocline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.server.testutils.TestCluster;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's guard against hostile SQL users: no host files through connectors, no jars, no
 * options that move class paths or cluster addresses, no job control, connections bound to their
 * user and bounded. Every refusal names what it refused; the allowed path still works.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class GatewayGuardITCase {
    @RegisterExtension
    @Order(1)
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** A file of the gateway's host that no SQL user may read. */
    @TempDir
    static Path hostDir;
    static Path secret;
    static ThermoclineGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        secret = Files.writeString(hostDir.resolve("secret.txt"), "host-secret\n");
        gateway = ThermoclineGateway.start(conf(Map.of()));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static Map<String, String> conf(Map<String, String> extra) {
        Map<String, String> conf = new HashMap<>();
        conf.put("bootstrap.servers", CLUSTER.bootstrapServers());
        conf.put("gateway.port", "0");
        conf.put("gateway.host", "127.0.0.1");
        conf.put("flink.execution.target", "remote");
        conf.put("flink.rest.address", FLINK.getClientConfiguration().get(RestOptions.ADDRESS));
        conf.put("flink.rest.port", Integer.toString(FLINK.getClientConfiguration().get(RestOptions.PORT)));
        conf.putAll(extra);
        return conf;
    }

    private static String fileTable(String name, String kind) {
        return "CREATE " + kind + " " + name + " (l STRING) WITH ('connector' = 'filesystem', 'path' = 'file://"
                + secret + "', 'format' = 'raw')";
    }

    @Test
    void aFileSystemTableIsRefusedNamingItsConnector() throws Exception {
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl("127.0.0.1"));
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute(fileTable("f", "TEMPORARY TABLE")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("connector 'filesystem' is not allowed")
                    .hasMessageContaining("gateway.allowed-connectors");
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM f")).hasMessageContaining("f");
            // Nor as a permanent table of Flink's in-memory catalog, nor through a LIKE of one.
            assertThatThrownBy(() -> statement.execute(fileTable("default_catalog.default_database.g", "TABLE")))
                    .hasMessageContaining("connector 'filesystem' is not allowed");
            // Nor by a hint on a Thermocline table: its catalog's factory serves it whatever the hint says.
            statement.execute("CREATE TABLE hinted (l STRING)");
            statement.executeUpdate("INSERT INTO hinted VALUES ('row of the table')");
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT l FROM hinted /*+ OPTIONS('connector' = 'filesystem',"
                    + " 'path' = 'file://" + secret + "', 'format' = 'raw') */")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            } catch (SQLException e) {
                rows.add(e.getMessage()); // refusing the hint would do as well
            }
            assertThat(rows).noneMatch(row -> row.contains("host-secret"));
        }
    }

    @Test
    void jarsPlansModulesCatalogsJobsAndClassPathSettingsAreRefused() throws Exception {
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl("127.0.0.1"));
                Statement statement = connection.createStatement()) {
            Map<String, String> refusals = new java.util.LinkedHashMap<>();
            refusals.put("ADD JAR '" + secret + "'", "ADD JAR");
            refusals.put("CREATE TEMPORARY FUNCTION f AS 'x.F' USING JAR '" + secret + "'", "USING JAR");
            refusals.put("CREATE FUNCTION py AS 'mod.f' LANGUAGE PYTHON", "PYTHON");
            refusals.put("SET 'pipeline.jars' = 'file://" + secret + "'", "SET 'pipeline.jars'");
            refusals.put("SET 'rest.address' = '127.0.0.2'", "SET 'rest.address'");
            refusals.put("SET 'table.resources.download-dir' = '" + hostDir + "'", "SET 'table.resources.download-dir'");
            refusals.put("CREATE CATALOG mine WITH ('type' = 'generic_in_memory')", "CREATE CATALOG mine");
            refusals.put("ALTER CATALOG thermocline SET ('bootstrap.servers' = '127.0.0.2:1')", "ALTER CATALOG");
            refusals.put("DESCRIBE CATALOG EXTENDED thermocline", "catalog's options");
            refusals.put("LOAD MODULE dummy", "LOAD MODULE");
            refusals.put("SHOW JOBS", "SHOW JOBS");
            refusals.put("STOP JOB '00000000000000000000000000000000'", "not started by this connection");
            refusals.put("EXECUTE PLAN 'file://" + secret + "'", "EXECUTE PLAN");
            for (Map.Entry<String, String> refusal : refusals.entrySet()) {
                assertThatThrownBy(() -> statement.execute(refusal.getKey())).as(refusal.getKey())
                        .isInstanceOf(SQLException.class).hasMessageContaining("Refused by the gateway")
                        .hasMessageContaining(refusal.getValue());
            }
            statement.execute("CREATE TABLE planned (l STRING)");
            assertThatThrownBy(() -> statement.execute("COMPILE PLAN 'file://" + hostDir.resolve("plan.json")
                    + "' FOR INSERT INTO planned VALUES ('x')")).hasMessageContaining("COMPILE PLAN");
            assertThat(hostDir.resolve("plan.json")).doesNotExist();
            // Allowed settings still take.
            statement.execute("SET 'table.local-time-zone' = 'Asia/Tokyo'");
            statement.execute("SET 'execution.runtime-mode' = 'batch'");
        }
    }

    @Test
    void datagenIntoAThermoclineTableStillWorks() throws Exception {
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl("127.0.0.1"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                    + " 'number-of-rows' = '25', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1',"
                    + " 'fields.id.end' = '25')");
            statement.execute("CREATE TABLE generated (id BIGINT)");
            statement.executeUpdate("INSERT INTO generated SELECT id FROM gen");
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*), SUM(id) FROM generated")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(25);
                assertThat(rs.getLong(2)).isEqualTo(25 * 26 / 2);
            }
            statement.execute("CREATE TEMPORARY TABLE out_print (id BIGINT) WITH ('connector' = 'blackhole')");
            statement.executeUpdate("INSERT INTO out_print SELECT id FROM generated");
        }
    }

    @Test
    void anAdministratorMayAllowAConnector() throws Exception {
        try (ThermoclineGateway open = ThermoclineGateway.start(conf(Map.of("gateway.allowed-connectors",
                "filesystem"))); Connection connection = DriverManager.getConnection(open.jdbcUrl("127.0.0.1"));
                Statement statement = connection.createStatement()) {
            statement.execute(fileTable("f", "TEMPORARY TABLE"));
            try (ResultSet rs = statement.executeQuery("SELECT * FROM f")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("host-secret");
            }
        }
    }

    @Test
    void connectionsBelongToTheirUserAndAreBoundedPerUserAndInAll() throws Exception {
        Path users = Files.writeString(hostDir.resolve("users.properties"),
                "ann: a1, thermocline\ncy: c1, thermocline\n");
        try (ThermoclineGateway bounded = ThermoclineGateway.start(conf(Map.of("gateway.auth.users-file",
                users.toString(), "gateway.max-connections", "3", "gateway.max-connections-per-user", "2")))) {
            String url = bounded.jdbcUrl("127.0.0.1") + ";authentication=BASIC";
            String ann = url + ";avatica_user=ann;avatica_password=a1";
            String cy = url + ";avatica_user=cy;avatica_password=c1";
            try (Connection ann1 = DriverManager.getConnection(ann); Connection ann2 = DriverManager.getConnection(ann)) {
                assertThatThrownBy(() -> DriverManager.getConnection(ann).close())
                        .hasMessageContaining("gateway.max-connections-per-user");
                try (Connection cy1 = DriverManager.getConnection(cy)) {
                    assertThatThrownBy(() -> DriverManager.getConnection(cy).close())
                            .hasMessageContaining("gateway.max-connections");
                    // Cy knows ann's connection id: it opens nothing to cy, and cy cannot close it.
                    String annId = ann1.unwrap(AvaticaConnection.class).id;
                    Service.Response used = request(bounded, "cy", "c1", new Service.CreateStatementRequest(annId));
                    assertThat(used).isInstanceOf(Service.ErrorResponse.class);
                    assertThat(((Service.ErrorResponse) used).errorMessage).contains("is not open");
                    request(bounded, "cy", "c1", new Service.CloseConnectionRequest(annId));
                    try (Statement statement = ann1.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
                        assertThat(rs.next()).isTrue();
                    }
                    try (Statement statement = cy1.createStatement(); ResultSet rs = statement.executeQuery("SELECT 2")) {
                        assertThat(rs.next()).isTrue();
                    }
                }
            }
            assertThat(bounded.meta().openConnections()).isZero();
        }
    }

    /** One Avatica request over HTTP as {@code user}, the way a hand-written client would send it. */
    private static Service.Response request(ThermoclineGateway gateway, String user, String password,
            Service.Request request) throws Exception {
        ProtobufTranslation translation = new ProtobufTranslationImpl();
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(translation.serializeRequest(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return translation.parseResponse(response.body());
    }
}

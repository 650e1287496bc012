package io.thermocline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.testutils.TestCertificates;
import io.thermocline.server.testutils.TestCluster;

import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Basic authentication, TLS, idle connections and statement limits of the gateway. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GatewaySecurityITCase {
    @RegisterExtension
    @Order(1)
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

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

    @Test
    void withAUsersFileOnlyTheirCredentialsGetIn() throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "ann: s3cret, thermocline\nbob: pw, other\n");
        try (ThermoclineGateway gateway = ThermoclineGateway.start(conf(Map.of("gateway.auth.users-file",
                users.toString())))) {
            String url = gateway.jdbcUrl("127.0.0.1");
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/")).POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            // Avatica's driver reports HTTP errors as runtime exceptions naming the status.
            assertThatThrownBy(() -> DriverManager.getConnection(url + ";authentication=BASIC;avatica_user=ann;"
                    + "avatica_password=wrong")).hasMessageContaining("HTTP/401");
            // A user without the thermocline role is refused too.
            assertThatThrownBy(() -> DriverManager.getConnection(url + ";authentication=BASIC;avatica_user=bob;"
                    + "avatica_password=pw")).hasMessageContaining("HTTP/403");
            try (Connection connection = DriverManager.getConnection(url + ";authentication=BASIC;avatica_user=ann;"
                    + "avatica_password=s3cret"); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void securitySettingsThatCannotWorkStopTheStartNamingTheOption() {
        assertThatThrownBy(() -> ThermoclineGateway.start(conf(Map.of("gateway.auth.users-file",
                dir.resolve("missing.properties").toString())))).hasMessageContaining("gateway.auth.users-file")
                .hasMessageContaining("missing.properties");
        assertThatThrownBy(() -> ThermoclineGateway.start(conf(Map.of("gateway.tls.keystore",
                dir.resolve("gateway.p12").toString())))).hasMessageContaining("gateway.tls.keystore-password");
    }

    @Test
    void tlsCarriesTheWholeSession() throws Exception {
        Path keystore = TestCertificates.keystore(dir);
        try (ThermoclineGateway gateway = ThermoclineGateway.start(conf(Map.of("gateway.tls.keystore",
                keystore.toString(), "gateway.tls.keystore-password", TestCertificates.PASSWORD)))) {
            String url = gateway.jdbcUrl("127.0.0.1");
            assertThat(url).contains("https://");
            try (Connection connection = DriverManager.getConnection(url + ";truststore=" + keystore
                    + ";truststore_password=" + TestCertificates.PASSWORD); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT 'over TLS'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("over TLS");
            }
            // Plain HTTP is not served on a TLS port.
            HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
            int status;
            try {
                status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/"))
                        .timeout(java.time.Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (java.io.IOException e) {
                status = -1; // the connection was dropped
            }
            assertThat(status).isNotEqualTo(200);
        }
    }

    @Test
    void idleConnectionsAreClosedAndStatementsAreLimited() throws Exception {
        try (ThermoclineGateway gateway = ThermoclineGateway.start(conf(Map.of("gateway.connection.idle-timeout", "1 s",
                "gateway.connection.max-statements", "2")))) {
            String url = gateway.jdbcUrl("127.0.0.1");
            try (Connection connection = DriverManager.getConnection(url)) {
                Statement first = connection.createStatement();
                Statement second = connection.createStatement();
                assertThatThrownBy(connection::createStatement)
                        .hasMessageContaining("gateway.connection.max-statements");
                second.close();
                try (Statement third = connection.createStatement(); ResultSet rs = third.executeQuery("SELECT 3")) {
                    assertThat(rs.next()).isTrue();
                }
                first.close();
            }
            Connection idle = DriverManager.getConnection(url);
            assertThat(gateway.meta().openConnections()).isEqualTo(1);
            TestCluster.waitUntil(() -> gateway.meta().openConnections() == 0, java.time.Duration.ofSeconds(10),
                    "the idle connection to be closed");
            assertThatThrownBy(idle::createStatement).hasMessageContaining("gateway.connection.idle-timeout");
            idle.close();
            try (Connection fresh = DriverManager.getConnection(url); Statement statement = fresh.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT 4")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }
}

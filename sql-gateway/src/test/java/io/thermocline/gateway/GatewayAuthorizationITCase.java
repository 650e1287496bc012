package io.thermocline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.security.AclBinding;
import io.thermocline.common.security.AclBinding.Operation;
import io.thermocline.common.security.AclBinding.ResourceType;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * SQL users are cluster principals: with {@code gateway.cluster.credentials = CONNECTION}, each JDBC
 * connection reaches a SASL cluster with authorization on as its own user, so the ACLs decide
 * what its statements may read.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GatewayAuthorizationITCase {
    @RegisterExtension
    @Order(1)
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1)
            .sasl("broker", "broker-secret").authorization("gateway")
            .user("gateway", "gateway-secret").user("alice", "alice-secret")
            .build();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static Map<String, String> clientOptions(String user, String password) {
        return new HashMap<>(CLUSTER.saslClientConf(user, password).toMap());
    }

    @Test
    void aSqlUserReadsWhatItsAclsAllowAndIsToldWhatItMayNot() throws Exception {
        try (Connection admin = ConnectionFactory.create(new Configuration(clientOptions("gateway", "gateway-secret")))) {
            admin.admin().createDatabase("sec", null, true).get();
            for (String table : List.of("open_data", "secret_data")) {
                TablePath path = TablePath.of("sec", table);
                admin.admin().createTable(path, TableDescriptor.builder(Schema.builder().column("id", DataTypes.INT())
                        .build()).buckets(1).replicationFactor(1).build(), true).get();
                try (AppendWriter writer = admin.table(path).newAppendWriter()) {
                    writer.append(GenericRow.of(42)).get();
                }
            }
            for (String table : List.of("open_kv", "secret_kv")) {
                TablePath path = TablePath.of("sec", table);
                admin.admin().createTable(path, TableDescriptor.builder(Schema.builder().column("id", DataTypes.INT())
                        .column("v", DataTypes.INT()).primaryKey("id").build()).buckets(1).replicationFactor(1).build(),
                        true).get();
                try (UpsertWriter writer = admin.table(path).newUpsertWriter()) {
                    writer.upsert(GenericRow.of(1, 7)).get();
                }
            }
            admin.admin().createAcls(List.of(
                    AclBinding.allow("User:alice", ResourceType.CLUSTER, "", Operation.DESCRIBE),
                    AclBinding.allow("User:alice", ResourceType.DATABASE, "sec", Operation.DESCRIBE),
                    AclBinding.allow("User:alice", ResourceType.TABLE, "sec.open_data", Operation.READ),
                    AclBinding.allow("User:alice", ResourceType.TABLE, "sec.open_kv", Operation.READ))).get();
        }
        Map<String, String> conf = clientOptions("gateway", "gateway-secret");
        conf.put("gateway.port", "0");
        conf.put("gateway.host", "127.0.0.1");
        conf.put("gateway.default-database", "sec");
        conf.put("gateway.cluster.credentials", "CONNECTION");
        conf.put("flink.execution.target", "remote");
        conf.put("flink.rest.address", FLINK.getClientConfiguration().get(RestOptions.ADDRESS));
        conf.put("flink.rest.port", Integer.toString(FLINK.getClientConfiguration().get(RestOptions.PORT)));
        try (ThermoclineGateway gateway = ThermoclineGateway.start(conf)) {
            String url = gateway.jdbcUrl("127.0.0.1");
            Properties alice = new Properties();
            alice.setProperty("user", "alice");
            alice.setProperty("password", "alice-secret");
            try (java.sql.Connection connection = DriverManager.getConnection(url, alice);
                    Statement statement = connection.createStatement()) {
                try (ResultSet rs = statement.executeQuery("SELECT id FROM open_data")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(42);
                }
                assertThatThrownBy(() -> statement.executeQuery("SELECT id FROM secret_data"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("User:alice may not")
                        .hasMessageContaining("sec.secret_data");
                // The connection goes on.
                try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM open_data")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
                // Key lookups the gateway answers itself run as the connection's user too.
                try (ResultSet rs = statement.executeQuery("EXPLAIN SELECT v FROM secret_kv WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).contains("served by the gateway without a Flink job");
                }
                try (ResultSet rs = statement.executeQuery("SELECT v FROM open_kv WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(7);
                }
                assertThatThrownBy(() -> statement.executeQuery("SELECT v FROM secret_kv WHERE id = 1"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("User:alice may not")
                        .hasMessageContaining("sec.secret_kv");
            }
            // A wrong password, or none, gets no connection (Avatica's driver reports a failed open as a
            // runtime exception from getConnection).
            Properties wrong = new Properties();
            wrong.setProperty("user", "alice");
            wrong.setProperty("password", "guess");
            assertThatThrownBy(() -> {
                try (java.sql.Connection connection = DriverManager.getConnection(url, wrong);
                        Statement statement = connection.createStatement()) {
                    statement.executeQuery("SELECT id FROM open_data").close();
                }
            }).hasMessageContaining("invalid username or password");
            assertThatThrownBy(() -> DriverManager.getConnection(url).close())
                    .hasMessageContaining("gateway.cluster.credentials is CONNECTION");
        }
    }
}

package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.exception.DatabaseAlreadyExistsException;
import io.thermocline.common.exception.DatabaseNotEmptyException;
import io.thermocline.common.exception.DatabaseNotExistException;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.exception.TableAlreadyExistsException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.coordinator.CoordinatorServer;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** DDL through the public client against a real cluster: 3 tablet servers, 2 coordinators. */
class AdminITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3).coordinators(2).build();

    private static final Schema ORDERS = Schema.builder()
            .column("order_id", DataTypes.BIGINT())
            .column("customer", DataTypes.STRING())
            .column("amount", DataTypes.DECIMAL(12, 2))
            .primaryKey("order_id")
            .build();

    static Connection connection;
    static Admin admin;

    @BeforeAll
    static void connect() {
        connection = ConnectionFactory.create(CLUSTER.clientConf());
        admin = connection.admin();
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Test
    void ddlRoundTrip() throws Exception {
        get(admin.createDatabase("shop", "the shop", false));
        long id = get(admin.createTable(TablePath.of("shop", "orders"),
                TableDescriptor.builder(ORDERS).buckets(8).comment("all orders")
                        .options(Map.of("table.log.ttl", "7 d")).build(), false));
        get(admin.createTable(TablePath.of("shop", "clicks"), TableDescriptor.builder(
                Schema.builder().column("url", DataTypes.STRING()).column("at", DataTypes.TIMESTAMP_LTZ(3)).build())
                .build(), false));

        assertThat(get(admin.listDatabases())).contains("shop");
        assertThat(get(admin.listTables("shop"))).containsExactly("clicks", "orders");
        TableInfo orders = get(admin.getTable(TablePath.of("shop", "orders")));
        assertThat(orders.tableId()).isEqualTo(id);
        assertThat(orders.schema()).isEqualTo(ORDERS);
        assertThat(orders.bucketKeys()).containsExactly("order_id");
        assertThat(orders.comment()).isEqualTo("all orders");
        assertThat(orders.options()).containsEntry("table.log.ttl", "7 d");
        assertThat(orders.buckets()).hasSize(8);
        assertThat(orders.buckets()).allSatisfy(b -> {
            assertThat(b.leader()).isBetween(0, 2);
            assertThat(b.leaderEpoch()).isZero();
            assertThat(b.leaderAddress()).startsWith("127.0.0.1:");
        });
        // leaders spread over all three servers
        assertThat(new HashSet<>(orders.buckets().stream().map(TableInfo.BucketLeader::leader).toList())).hasSize(3);
        assertThat(get(admin.createTable(TablePath.of("shop", "orders"), TableDescriptor.builder(ORDERS).build(), true)))
                .isEqualTo(id);

        get(admin.dropTable(TablePath.of("shop", "clicks"), false));
        assertThat(get(admin.listTables("shop"))).containsExactly("orders");
        get(admin.dropDatabase("shop", false, true));
        assertThat(get(admin.listDatabases())).doesNotContain("shop");
    }

    @Test
    void badDdlGetsTypedErrorsNamingTheProblem() throws Exception {
        get(admin.createDatabase("errors", null, false));
        get(admin.createDatabase("errors", null, true)); // ignored
        assertFails(admin.createDatabase("errors", null, false), DatabaseAlreadyExistsException.class, "'errors'");
        assertFails(admin.listTables("nowhere"), DatabaseNotExistException.class, "'nowhere'");
        assertFails(admin.getTable(TablePath.of("errors", "ghost")), TableNotExistException.class, "errors.ghost");
        assertFails(admin.dropTable(TablePath.of("errors", "ghost"), false), TableNotExistException.class, "errors.ghost");
        get(admin.dropTable(TablePath.of("errors", "ghost"), true));
        assertFails(admin.createTable(TablePath.of("errors", "t"),
                TableDescriptor.builder(ORDERS).buckets(2, "customer").build(), false),
                SchemaException.class, "bucket key `customer` must be a primary key column");
        assertFails(admin.createTable(TablePath.of("errors", "t"),
                TableDescriptor.builder(ORDERS).buckets(2, "nope").build(), false),
                SchemaException.class, "bucket key `nope` is not a column");
        assertFails(admin.createTable(TablePath.of("errors", "t"),
                TableDescriptor.builder(ORDERS).buckets(100_000).build(), false),
                InvalidRequestException.class, "bucket count 100000");
        assertFails(admin.createTable(TablePath.of("errors", "t"),
                TableDescriptor.builder(ORDERS).replicationFactor(5).build(), false),
                InvalidRequestException.class, "Replication factor 5 exceeds the 3 tablet servers of the cluster");
        assertFails(admin.createTable(TablePath.of("errors", "t"), TableDescriptor.builder(ORDERS).build(), false)
                .thenCompose(id -> admin.createTable(TablePath.of("errors", "t"), TableDescriptor.builder(ORDERS).build(),
                        false)), TableAlreadyExistsException.class, "errors.t");
        assertFails(admin.dropDatabase("errors", false, false), DatabaseNotEmptyException.class, "[t]");
        assertThatThrownBy(() -> TablePath.of("errors", "bad name")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ConnectionFactory.create(new io.thermocline.common.config.Configuration()
                        .setString("bootstrap.servers", "no-port")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("'no-port'");
        get(admin.dropDatabase("errors", false, true));
    }

    @Test
    void aStandbyCoordinatorServesDdlAfterTheActiveOneStops() throws Exception {
        get(admin.createDatabase("failover", null, false));
        CoordinatorServer active = CLUSTER.activeCoordinator();
        CLUSTER.stopCoordinator(active);
        TestCluster.waitUntil(() -> CLUSTER.coordinators().stream().anyMatch(c -> c != active && c.isActive()),
                Duration.ofSeconds(30), "the standby coordinator takes over");
        // the client finds the new coordinator by itself
        long id = get(admin.createTable(TablePath.of("failover", "after"), TableDescriptor.builder(ORDERS).build(), false));
        assertThat(get(admin.getTable(TablePath.of("failover", "after"))).tableId()).isEqualTo(id);
        assertThat(get(admin.listDatabases())).contains("failover");
    }

    @Test
    void tablesArePlacedOnlyOnLiveTabletServers() throws Exception {
        get(admin.createDatabase("placement", null, true));
        CLUSTER.stopTabletServer(2);
        try {
            TableInfo table = get(admin.createTable(TablePath.of("placement", "two"),
                            TableDescriptor.builder(ORDERS).buckets(6).build(), false)
                    .thenCompose(id -> admin.getTable(TablePath.of("placement", "two"))));
            assertThat(table.buckets()).allSatisfy(b -> assertThat(b.leader()).isIn(0, 1));
        } finally {
            CLUSTER.startTabletServer(2);
        }
    }

    @Test
    void aTabletServerRestartedWhileItsOldSessionLivesWaitsForItToExpire() throws Exception {
        // Simulates a crash: a session (standing in for the dead process) still holds id 9.
        try (var crashed = io.thermocline.server.zk.ZooKeeperMetadataStore.connect(
                CLUSTER.serverConf().get(io.thermocline.server.config.ServerOptions.ZOOKEEPER_ADDRESS), "thermocline",
                Duration.ofSeconds(6))) {
            crashed.servers().register(new io.thermocline.server.zk.ZkRecords.TabletServerRegistration(
                    9, "127.0.0.1", 1, null, 0L));
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> CLUSTER.startTabletServer(9));
            Thread.sleep(500);
            assertThat(restarted).isNotDone(); // waiting for the old session
            crashed.close(); // the old session ends
            restarted.get(30, TimeUnit.SECONDS);
        } finally {
            CLUSTER.stopTabletServer(9);
        }
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    private static void assertFails(CompletableFuture<?> future, Class<? extends Throwable> type, String messagePart) {
        assertThatThrownBy(() -> future.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(type).hasMessageContaining(messagePart);
    }
}

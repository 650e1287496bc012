package io.thermocline.server.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.DatabaseAlreadyExistsException;
import io.thermocline.common.exception.DatabaseNotEmptyException;
import io.thermocline.common.exception.DatabaseNotExistException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.NotCoordinatorException;
import io.thermocline.common.exception.PartitionAlreadyExistsException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.exception.TableAlreadyExistsException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.DatabaseRegistration;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZkRecords.PartitionRegistration;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Metadata in a real ZooKeeper server running in this JVM, shared by the tests (a root each). */
class ZooKeeperMetadataITCase {
    private static final Duration SESSION = Duration.ofSeconds(10);

    @TempDir
    static Path zkDir;

    static EmbeddedZooKeeper zookeeper;

    private String root;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ZooKeeperMetadataStore store;

    @BeforeAll
    static void startZooKeeper() {
        zookeeper = EmbeddedZooKeeper.start(zkDir, "127.0.0.1", 0);
    }

    @AfterAll
    static void stopZooKeeper() {
        zookeeper.close();
    }

    @BeforeEach
    void connect(TestInfo test) {
        root = "it-" + test.getTestMethod().orElseThrow().getName();
        store = open();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ZooKeeperMetadataStore open() {
        ZooKeeperMetadataStore s = ZooKeeperMetadataStore.connect(zookeeper.connectString(), root, SESSION);
        toClose.add(s);
        return s;
    }

    @Test
    void ddlRoundTrip() {
        store.createDatabase("shop", new DatabaseRegistration("the shop", Map.of("owner", "data-eng"), 1L));
        Schema schema = Schema.builder()
                .column("order_id", DataTypes.BIGINT())
                .column("amount", DataTypes.DECIMAL(10, 2))
                .primaryKey("order_id")
                .build();
        long id = store.nextTableId();
        TableRegistration orders = new TableRegistration(id, "shop", "orders", 4, 1, List.of("order_id"), List.of(),
                Map.of("table.datalake.enabled", "false"), "orders", schema.schemaId(), 2L);
        BucketAssignment assignment = new BucketAssignment(Map.of(0, List.of(1, 2), 1, List.of(2, 3), 2, List.of(3, 1),
                3, List.of(1, 3)));
        store.createTable(orders, schema, assignment);

        assertThat(store.listDatabases()).containsExactly("shop");
        assertThat(store.database("shop").orElseThrow().properties()).containsEntry("owner", "data-eng");
        assertThat(store.listTables("shop")).containsExactly("orders");
        assertThat(store.requireTable(TablePath.of("shop", "orders"))).isEqualTo(orders);
        assertThat(store.schema(id, 1)).isEqualTo(schema);
        assertThat(store.schemas(id)).containsExactly(schema);
        assertThat(store.leadership().assignment(id, TableBucket.NO_PARTITION)).isEqualTo(assignment);
        assertThat(store.nextTableId()).isGreaterThan(id);

        store.dropTable(TablePath.of("shop", "orders"));
        assertThat(store.listTables("shop")).isEmpty();
        assertThatThrownBy(() -> store.leadership().assignment(id, TableBucket.NO_PARTITION)).isInstanceOf(TableNotExistException.class);
        store.dropDatabase("shop", false);
        assertThat(store.listDatabases()).isEmpty();
    }

    @Test
    void ddlErrorsNameTheDatabaseOrTable() {
        store.createDatabase("shop", new DatabaseRegistration(null, Map.of(), 1L));
        assertThatThrownBy(() -> store.createDatabase("shop", new DatabaseRegistration(null, Map.of(), 1L)))
                .isInstanceOf(DatabaseAlreadyExistsException.class).hasMessage("Database 'shop' already exists");
        assertThatThrownBy(() -> store.listTables("nope"))
                .isInstanceOf(DatabaseNotExistException.class).hasMessage("Database 'nope' does not exist");
        assertThatThrownBy(() -> store.createDatabase("bad/name", new DatabaseRegistration(null, Map.of(), 1L)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'bad/name'");
        Schema schema = Schema.builder().column("a", DataTypes.INT()).build();
        TableRegistration table = new TableRegistration(store.nextTableId(), "shop", "t", 1, 1, List.of(), List.of(),
                Map.of(), null, 1, 1L);
        BucketAssignment one = new BucketAssignment(Map.of(0, List.of(1)));
        store.createTable(table, schema, one);
        TableRegistration again = new TableRegistration(store.nextTableId(), "shop", "t", 1, 1, List.of(), List.of(),
                Map.of(), null, 1, 1L);
        assertThatThrownBy(() -> store.createTable(again, schema, one))
                .isInstanceOf(TableAlreadyExistsException.class).hasMessage("Table shop.t already exists");
        TableRegistration orphan = new TableRegistration(store.nextTableId(), "missing", "t", 1, 1, List.of(), List.of(),
                Map.of(), null, 1, 1L);
        assertThatThrownBy(() -> store.createTable(orphan, schema, one))
                .isInstanceOf(DatabaseNotExistException.class).hasMessageContaining("'missing'");
        assertThatThrownBy(() -> store.dropTable(TablePath.of("shop", "ghost")))
                .isInstanceOf(TableNotExistException.class).hasMessage("Table shop.ghost does not exist");
        assertThatThrownBy(() -> store.dropDatabase("shop", false))
                .isInstanceOf(DatabaseNotEmptyException.class).hasMessageContaining("[t]");
        store.dropDatabase("shop", true);
        assertThat(store.listDatabases()).isEmpty();
    }

    @Test
    void partitionsHaveTheirOwnAssignmentsAndLeadersAndGoWithTheirTable() {
        store.createDatabase("shop", new DatabaseRegistration(null, Map.of(), 1L));
        Schema schema = Schema.builder().column("dt", DataTypes.STRING()).column("a", DataTypes.INT()).build();
        TableRegistration table = new TableRegistration(store.nextTableId(), "shop", "events", 2, 1, List.of(),
                List.of("dt"), Map.of(), null, 1, 1L);
        store.createTable(table, schema, null);
        // names hold '/' and '=', which ZooKeeper node names cannot
        PartitionRegistration day = new PartitionRegistration(store.nextPartitionId(), table.tableId(), "dt=2026%2F11",
                List.of("2026/11"), 2L);
        BucketAssignment assignment = new BucketAssignment(Map.of(0, List.of(1), 1, List.of(2)));
        store.createPartition(table, day, assignment);
        assertThatThrownBy(() -> store.createPartition(table, new PartitionRegistration(store.nextPartitionId(),
                table.tableId(), day.name(), day.values(), 3L), assignment))
                .isInstanceOf(PartitionAlreadyExistsException.class).hasMessageContaining("shop.events")
                .hasMessageContaining("dt=2026%2F11");
        assertThat(store.partitions(table.tableId())).containsExactly(day);
        assertThat(store.partition(day.partitionId())).contains(day);
        assertThat(store.leadership().assignment(table.tableId(), day.partitionId())).isEqualTo(assignment);
        TableBucket bucket = new TableBucket(table.tableId(), day.partitionId(), 1);
        int epoch = elect(store, "c1").epoch();
        assertThat(store.leadership().compareAndSetLeaderAndIsr(bucket, new LeaderAndIsr(2, 0, List.of(2), 0), -1, epoch)).isTrue();
        assertThat(store.leadership().leaderAndIsr(bucket).orElseThrow().value().leader()).isEqualTo(2);
        assertThat(store.leadership().leaderAndIsr(new TableBucket(table.tableId(), 1))).isEmpty();

        store.dropTable(TablePath.of("shop", "events"));
        assertThat(store.partition(day.partitionId())).isEmpty();
        assertThat(store.leadership().leaderAndIsr(bucket)).isEmpty();
        assertThatThrownBy(() -> store.leadership().assignment(table.tableId(), day.partitionId()))
                .isInstanceOf(PartitionNotExistException.class);
    }

    @Test
    void tabletServersAreRegisteredForTheLifeOfTheirSession() {
        ZooKeeperMetadataStore serverSession = open();
        serverSession.servers().register(new TabletServerRegistration(7, "127.0.0.1", 9123, "rack-a", 5L));
        assertThat(store.servers().live()).containsOnlyKeys(7);
        assertThat(store.servers().live().get(7).port()).isEqualTo(9123);
        assertThatThrownBy(() -> store.servers().register(new TabletServerRegistration(7, "10.0.0.9", 1, null, 6L)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("id 7").hasMessageContaining("9123");
        serverSession.close();
        assertThat(store.servers().live()).isEmpty();
    }

    @Test
    void leaderChangesAreCompareAndSet() {
        int epoch = elect(store, "c1").epoch();
        TableBucket bucket = new TableBucket(5, 0);
        assertThat(store.leadership().leaderAndIsr(bucket)).isEmpty();
        assertThat(store.leadership().compareAndSetLeaderAndIsr(bucket, new LeaderAndIsr(1, 0, List.of(1, 2), epoch), -1, epoch))
                .isTrue();
        assertThat(store.leadership().compareAndSetLeaderAndIsr(bucket, new LeaderAndIsr(2, 0, List.of(2), epoch), -1, epoch)).isFalse();
        var current = store.leadership().leaderAndIsr(bucket).orElseThrow();
        assertThat(current.value().leader()).isEqualTo(1);
        assertThat(store.leadership().compareAndSetLeaderAndIsr(bucket, new LeaderAndIsr(2, 1, List.of(2), epoch), current.version(),
                epoch)).isTrue();
        // a decision made on the old version is refused
        assertThat(store.leadership().compareAndSetLeaderAndIsr(bucket, new LeaderAndIsr(1, 1, List.of(1), epoch), current.version(),
                epoch)).isFalse();
        assertThat(store.leadership().leaderAndIsr(bucket).orElseThrow().value()).isEqualTo(new LeaderAndIsr(2, 1, List.of(2), epoch));
    }

    @Test
    void aDeposedCoordinatorChangesNoLeadershipOnceANewOneIsActive() {
        ZooKeeperMetadataStore otherSession = open();
        CoordinatorElection first = elect(store, "c1");
        int oldEpoch = first.epoch();
        CoordinatorElection second = new CoordinatorElection(otherSession, "c2", "127.0.0.1", 2, new NoOp()).start();
        toClose.add(second);
        TableBucket bucket = new TableBucket(9, 0);
        assertThat(store.leadership().compareAndSetLeaderAndIsr(bucket, new LeaderAndIsr(1, 0, List.of(1, 2), oldEpoch), -1, oldEpoch))
                .isTrue();
        int version = store.leadership().leaderAndIsr(bucket).orElseThrow().version();

        first.close(); // what a session expiry of a paused coordinator does to its latch
        waitUntil(second::isActive, "the standby takes over");
        assertThat(second.epoch()).isGreaterThan(oldEpoch);
        assertThat(store.leadership().coordinatorEpoch()).isEqualTo(second.epoch());

        // The old coordinator, waking up, still believes in its epoch and its copy of the bucket.
        assertThatThrownBy(() -> store.leadership().compareAndSetLeaderAndIsr(bucket, new LeaderAndIsr(2, 1, List.of(2), oldEpoch),
                version, oldEpoch)).isInstanceOf(NotCoordinatorException.class)
                .hasMessageContaining("epoch " + oldEpoch).hasMessageContaining("epoch " + second.epoch())
                .hasMessageContaining(bucket.toString());
        assertThatThrownBy(() -> store.leadership().compareAndSetLeaderAndIsr(new TableBucket(9, 1), new LeaderAndIsr(2, 0,
                List.of(2), oldEpoch), -1, oldEpoch)).isInstanceOf(NotCoordinatorException.class);
        assertThat(store.leadership().leaderAndIsr(bucket).orElseThrow().value().leader()).isEqualTo(1);
        assertThat(store.leadership().leaderAndIsr(new TableBucket(9, 1))).isEmpty();
        assertThat(otherSession.leadership().compareAndSetLeaderAndIsr(bucket, new LeaderAndIsr(2, 1, List.of(2), second.epoch()),
                version, second.epoch())).isTrue();
    }

    private CoordinatorElection elect(ZooKeeperMetadataStore session, String id) {
        CoordinatorElection election = new CoordinatorElection(session, id, "127.0.0.1", 1, new NoOp()).start();
        toClose.add(election);
        waitUntil(election::isActive, id + " becomes the active coordinator");
        return election;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        TestCluster.waitUntil(condition, Duration.ofSeconds(30), what);
    }

    private static final class NoOp implements CoordinatorElection.Listener {
        @Override
        public void onActive(int epoch) {}

        @Override
        public void onInactive() {}
    }

    @Test
    void metadataSurvivesAZooKeeperRestart(@TempDir Path ownDir) {
        EmbeddedZooKeeper own = EmbeddedZooKeeper.start(ownDir, "127.0.0.1", 0);
        int port = own.port();
        ZooKeeperMetadataStore first = ZooKeeperMetadataStore.connect(own.connectString(), root, SESSION);
        first.createDatabase("kept", new DatabaseRegistration(null, Map.of(), 1L));
        first.close();
        own.close();
        EmbeddedZooKeeper restarted = EmbeddedZooKeeper.start(ownDir, "127.0.0.1", port);
        try (ZooKeeperMetadataStore second = ZooKeeperMetadataStore.connect(restarted.connectString(), root, SESSION)) {
            assertThat(second.listDatabases()).containsExactly("kept");
        } finally {
            restarted.close();
        }
    }

    @Test
    void aStandbyCoordinatorTakesOverWithAHigherEpoch() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        ZooKeeperMetadataStore sessionA = open();
        ZooKeeperMetadataStore sessionB = open();
        CoordinatorElection a = new CoordinatorElection(sessionA, "coordinator-a", "127.0.0.1", 9001, listener("a", events));
        a.start();
        assertThat(events.poll(20, TimeUnit.SECONDS)).startsWith("a active");
        CoordinatorElection b = new CoordinatorElection(sessionB, "coordinator-b", "127.0.0.1", 9002, listener("b", events));
        toClose.add(b);
        b.start();
        int epochA = a.epoch();
        assertThat(a.isActive()).isTrue();
        assertThat(CoordinatorElection.active(store).orElseThrow().id()).isEqualTo("coordinator-a");

        a.close(); // the active coordinator stops
        List<String> seen = new ArrayList<>();
        while (seen.stream().noneMatch(e -> e.startsWith("b active"))) {
            String event = events.poll(20, TimeUnit.SECONDS);
            assertThat(event).as("events so far: %s", seen).isNotNull();
            seen.add(event);
        }
        assertThat(b.isActive()).isTrue();
        assertThat(b.epoch()).isGreaterThan(epochA);
        var active = CoordinatorElection.active(store).orElseThrow();
        assertThat(active.id()).isEqualTo("coordinator-b");
        assertThat(active.port()).isEqualTo(9002);
        assertThat(active.epoch()).isEqualTo(b.epoch());
    }

    private static CoordinatorElection.Listener listener(String name, BlockingQueue<String> events) {
        return new CoordinatorElection.Listener() {
            @Override
            public void onActive(int epoch) {
                events.add(name + " active " + epoch);
            }

            @Override
            public void onInactive() {
                events.add(name + " inactive");
            }
        };
    }
}

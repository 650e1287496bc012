package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.AuthorizationException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.security.AclBinding;
import io.thermocline.common.security.AclBinding.Operation;
import io.thermocline.common.security.AclBinding.ResourceType;
import io.thermocline.common.types.DataTypes;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.messages.FetchBucket;
import io.thermocline.rpc.messages.FetchRequest;
import io.thermocline.rpc.messages.FetchResponse;
import io.thermocline.rpc.messages.FetchTable;
import io.thermocline.rpc.messages.ProduceBucket;
import io.thermocline.rpc.messages.ProduceRequest;
import io.thermocline.rpc.messages.ProduceResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.security.SecurityProtocol;
import io.thermocline.server.testutils.TestCluster;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * ACLs on a SASL cluster with authorization on: what no ACL allows is denied with an error naming
 * principal, operation and resource; a DENY wins over an ALLOW; database entries cover their
 * tables; changes apply while clients stay connected; only super users manage ACLs.
 */
class AuthorizationITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1)
            .sasl("broker", "broker-secret").authorization("admin")
            .user("admin", "admin-secret").user("alice", "alice-secret").user("bob", "bob-secret")
            .build();

    private static final TablePath ORDERS = TablePath.of("shop", "orders");
    private static final TablePath USERS = TablePath.of("shop", "users");

    static Connection admin;

    @BeforeAll
    static void createTables() throws Exception {
        admin = ConnectionFactory.create(client("admin", "admin-secret"));
        admin.admin().createDatabase("shop", null, true).get();
        admin.admin().createTable(ORDERS, TableDescriptor.builder(Schema.builder().column("id", DataTypes.BIGINT())
                .build()).buckets(1).replicationFactor(1).build(), true).get();
        admin.admin().createTable(USERS, TableDescriptor.builder(Schema.builder().column("id", DataTypes.INT())
                .column("name", DataTypes.STRING()).primaryKey("id").build()).buckets(1).replicationFactor(1).build(),
                true).get();
        try (UpsertWriter writer = admin.table(USERS).newUpsertWriter()) {
            writer.upsert(GenericRow.of(1, BinaryString.fromString("ann"))).get();
        }
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    static Configuration client(String user, String password) {
        return CLUSTER.saslClientConf(user, password);
    }

    @Test
    void aWriterIdObtainedByOnePrincipalIsRefusedToAnother() throws Exception {
        TablePath path = TablePath.of("shop", "shared_log");
        long tableId = admin.admin().createTable(path, TableDescriptor.builder(Schema.builder()
                .column("id", DataTypes.BIGINT()).build()).buckets(1).replicationFactor(1).build(), false).get();
        admin.admin().createAcls(List.of(
                AclBinding.allow("User:bob", ResourceType.TABLE, "shop.shared_log", Operation.ALL),
                AclBinding.allow("User:alice", ResourceType.TABLE, "shop.shared_log", Operation.ALL))).get();
        // Servers apply ACLs within moments: each writes a row of its own once allowed.
        for (String user : List.of("bob", "alice")) {
            try (Connection connection = ConnectionFactory.create(client(user, user + "-secret"))) {
                TestCluster.waitUntil(() -> {
                    try (AppendWriter writer = connection.table(path).newAppendWriter()) {
                        writer.append(GenericRow.of(user.equals("bob") ? 1L : 2L)).get();
                        return true;
                    } catch (Exception notYet) {
                        return false;
                    }
                }, Duration.ofSeconds(30), user + " may write " + path);
            }
        }
        InetSocketAddress server = new InetSocketAddress("127.0.0.1",
                CLUSTER.tabletServer(0).port(SecurityProtocol.SASL_PLAINTEXT));
        try (RpcClient asAdmin = new RpcClient(client("admin", "admin-secret"));
                RpcClient asAlice = new RpcClient(client("alice", "alice-secret"))) {
            // Bob's batch as stored (the first), his writer id in its header.
            ByteBuffer bobsBatch = asAdmin.connect(server).get(10, TimeUnit.SECONDS).sendWithTrailingBytes(ApiKeys.FETCH,
                    FetchRequest.newBuilder().setMaxBytes(1).setMaxWaitMs(0).addTables(FetchTable.newBuilder()
                            .setTableId(tableId).addBuckets(FetchBucket.newBuilder().setBucket(0).setFetchOffset(0)))
                            .build(), FetchResponse.parser()).get(10, TimeUnit.SECONDS).trailing();
            ProduceResponse answer = asAlice.connect(server).get(10, TimeUnit.SECONDS).send(ApiKeys.PRODUCE,
                    ProduceRequest.newBuilder().setTableId(tableId).setAcks(1).addBuckets(ProduceBucket.newBuilder()
                            .setBucket(0).setRecords(ByteString.copyFrom(bobsBatch))).build(),
                    ProduceResponse.parser()).get(10, TimeUnit.SECONDS);
            assertThat(answer.getBuckets(0).getErrorCode()).isEqualTo(Errors.AUTHORIZATION_FAILED.code());
            assertThat(answer.getBuckets(0).getErrorMessage()).contains("was not issued to User:alice");
        }
        assertThat(admin.admin().listOffsets(path, List.of(0), OffsetSpec.latest()).get()).containsEntry(0, 2L);
    }

    @Test
    void withoutAnAclEverythingIsDeniedNamingPrincipalOperationAndResource() throws Exception {
        try (Connection bob = ConnectionFactory.create(client("bob", "bob-secret"))) {
            assertDenied(bob.admin().listDatabases(), "Principal User:bob may not DESCRIBE cluster (ListDatabases)");
            assertDenied(bob.admin().createTable(TablePath.of("shop", "mine"), TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.INT()).build()).build(), false),
                    "Principal User:bob may not CREATE database shop (CreateTable)");
            assertDenied(bob.admin().getTable(ORDERS), "Principal User:bob may not DESCRIBE table shop.orders");
            // Managing users and ACLs is for super users.
            assertDenied(bob.admin().createAcls(List.of(AclBinding.allow("User:bob", ResourceType.CLUSTER, "",
                    Operation.ALL))), "Principal User:bob may not ALTER cluster (CreateAcls)");
            assertDenied(bob.admin().createOrUpdateUser("eve", "x"), "may not ALTER cluster (AlterUser)");
        }
    }

    @Test
    void grantsApplyWhileConnectedAndADenyWinsOverAnAllow() throws Exception {
        List<AclBinding> grants = List.of(
                AclBinding.allow("User:alice", ResourceType.TABLE, "shop.orders", Operation.WRITE),
                AclBinding.allow("User:alice", ResourceType.DATABASE, "shop", Operation.READ),
                AclBinding.deny("User:alice", ResourceType.TABLE, "shop.users", Operation.READ));
        try (Connection alice = ConnectionFactory.create(client("alice", "alice-secret"))) {
            // Before any grant: the write is refused, naming the table and the operation.
            try (AppendWriter writer = alice.table(ORDERS).newAppendWriter()) {
                throw new AssertionError("table metadata needs DESCRIBE: " + writer);
            } catch (RuntimeException e) {
                assertThat(unwrap(e)).isInstanceOf(AuthorizationException.class)
                        .hasMessageContaining("User:alice may not DESCRIBE table shop.orders");
            }
            admin.admin().createAcls(grants).get();
            assertThat(admin.admin().listAcls().get()).containsAll(grants);
            TestCluster.waitUntil(() -> canDescribe(alice, ORDERS), Duration.ofSeconds(10), "the grant to apply");
            try (AppendWriter writer = alice.table(ORDERS).newAppendWriter()) {
                writer.append(GenericRow.of(7L)).get(30, TimeUnit.SECONDS);
            }
            assertThat(alice.admin().listOffsets(ORDERS, List.of(0), OffsetSpec.latest()).get()).containsEntry(0, 1L);
            // READ on the database covers its tables, but the table's DENY wins.
            assertDenied(alice.table(USERS).newLookuper().lookup(GenericRow.of(1)),
                    "Principal User:alice may not READ table shop.users (Lookup)");
            // WRITE on orders is not WRITE on users.
            try (UpsertWriter writer = alice.table(USERS).newUpsertWriter()) {
                assertDenied(writer.upsert(GenericRow.of(2, BinaryString.fromString("bo"))),
                        "Principal User:alice may not WRITE table shop.users (PutKv)");
            }
            // Revoked: refused again, on the same connection.
            assertThat(admin.admin().deleteAcls(grants).get()).isEqualTo(3);
            TestCluster.waitUntil(() -> !canDescribe(alice, ORDERS), Duration.ofSeconds(10), "the revoke to apply");
        }
        // Nothing alice was refused reached the tables.
        assertThat(admin.table(USERS).newLookuper().lookup(GenericRow.of(2)).get()).isEmpty();
    }

    @Test
    void aWildcardPrincipalAndResourceCoverEveryUserAndTable() throws Exception {
        AclBinding everyone = AclBinding.allow("User:*", ResourceType.TABLE, "*", Operation.DESCRIBE);
        admin.admin().createAcls(List.of(everyone)).get();
        try (Connection bob = ConnectionFactory.create(client("bob", "bob-secret"))) {
            TestCluster.waitUntil(() -> canDescribe(bob, USERS), Duration.ofSeconds(10), "the wildcard grant to apply");
            assertDenied(bob.table(USERS).newLookuper().lookup(GenericRow.of(1)),
                    "Principal User:bob may not READ table shop.users");
        } finally {
            admin.admin().deleteAcls(List.of(everyone)).get();
        }
    }

    private static boolean canDescribe(Connection connection, TablePath path) {
        try {
            connection.admin().getTable(path).get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            if (unwrap(e) instanceof AuthorizationException) {
                return false;
            }
            throw new IllegalStateException(e);
        }
    }

    private static void assertDenied(Future<?> result, String message) {
        assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(unwrap(e)).isInstanceOf(AuthorizationException.class)
                        .hasMessageContaining(message));
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException
                || (e instanceof RuntimeException && !(e instanceof AuthorizationException)))
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}

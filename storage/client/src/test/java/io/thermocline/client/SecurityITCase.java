package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.AuthenticationException;
import io.thermocline.common.exception.UnsupportedSaslMechanismException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.testutils.TestCertificates;
import io.thermocline.common.types.DataTypes;
import io.thermocline.rpc.protocol.RpcOptions;
import io.thermocline.rpc.security.SaslMechanisms;
import io.thermocline.rpc.security.SecurityProtocol;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A cluster with two listeners, SASL_PLAINTEXT (servers among themselves, SCRAM as user
 * {@code broker}) and SASL_SSL (clients): authenticated clients write, replicate and read over
 * TLS; bad credentials and unauthenticated connections are refused before any API runs; users are
 * managed through the admin API.
 */
class SecurityITCase {
    private static final Path KEYSTORE = TestCertificates.keystore(null);

    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(2)
            .serverOption("listeners", "SASL_PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0")
            .serverOption("security.protocol", "SASL_PLAINTEXT")
            .serverOption("security.sasl.username", "broker")
            .serverOption("security.sasl.password", "broker-secret")
            .serverOption("security.ssl.keystore.location", KEYSTORE.toString())
            .serverOption("security.ssl.keystore.password", TestCertificates.PASSWORD)
            .serverOption("security.sasl.credential-check-interval", "200 ms")
            .serverOption("security.sasl.authentication-timeout", "1 s")
            .user("broker", "broker-secret")
            .user("alice", "alice-secret")
            .build();

    static Configuration client(String user, String password) {
        return new Configuration()
                .setString("bootstrap.servers", CLUSTER.bootstrapServers(SecurityProtocol.SASL_SSL))
                .set(RpcOptions.SECURITY_PROTOCOL, SecurityProtocol.SASL_SSL)
                .set(RpcOptions.SASL_USERNAME, user)
                .set(RpcOptions.SASL_PASSWORD, password)
                .set(RpcOptions.SSL_TRUSTSTORE, KEYSTORE.toString())
                .set(RpcOptions.SSL_TRUSTSTORE_PASSWORD, TestCertificates.PASSWORD);
    }

    @Test
    void anAuthenticatedClientWritesAndReadsOverTlsWhileServersReplicateOverSasl() throws Exception {
        TablePath path = TablePath.of("secure", "events");
        try (Connection connection = ConnectionFactory.create(client("alice", "alice-secret"))) {
            connection.admin().createDatabase("secure", null, true).get();
            connection.admin().createTable(path, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT()).build()).buckets(1).replicationFactor(2).build(), true).get();
            try (AppendWriter writer = connection.table(path).newAppendWriter()) {
                for (long id = 0; id < 50; id++) {
                    writer.append(GenericRow.of(id));
                }
                writer.flush(); // acks=all: the follower fetched over the servers' SASL listener
            }
            assertThat(connection.admin().listServers().get()).allSatisfy(server ->
                    assertThat(server.port()).isNotIn(CLUSTER.tabletServer(0).port(), CLUSTER.tabletServer(1).port()));
            List<Long> ids = new ArrayList<>();
            try (LogScanner scanner = connection.table(path).newLogScanner()) {
                scanner.subscribe(0, 0L);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (ids.size() < 50 && System.nanoTime() < deadline) {
                    for (ScanRecord record : scanner.poll(Duration.ofMillis(200))) {
                        ids.add(record.row().getLong(0));
                    }
                }
            }
            assertThat(ids).hasSize(50).doesNotHaveDuplicates();
        }
    }

    @Test
    void wrongPasswordsUnknownUsersAndUnauthenticatedClientsAreRefused() {
        assertRefused(client("alice", "wrong"), AuthenticationException.class, "invalid username or password");
        assertRefused(client("mallory", "alice-secret"), AuthenticationException.class, "invalid username or password");
        // A client without SASL on a SASL listener: its first request is refused and the connection closed.
        assertRefused(new Configuration().setString("bootstrap.servers",
                        CLUSTER.bootstrapServers(SecurityProtocol.SASL_PLAINTEXT)), AuthenticationException.class,
                "before SASL authentication");
        // PLAIN without TLS would send the password in clear text.
        assertRefused(new Configuration()
                        .setString("bootstrap.servers", CLUSTER.bootstrapServers(SecurityProtocol.SASL_PLAINTEXT))
                        .set(RpcOptions.SECURITY_PROTOCOL, SecurityProtocol.SASL_PLAINTEXT)
                        .set(RpcOptions.SASL_MECHANISM, SaslMechanisms.PLAIN)
                        .set(RpcOptions.SASL_USERNAME, "alice").set(RpcOptions.SASL_PASSWORD, "alice-secret"),
                UnsupportedSaslMechanismException.class, "PLAIN is refused on a listener without TLS");
    }

    @Test
    void usersAreManagedThroughTheAdminApiAndOnlyTheirCredentialIsStored() throws Exception {
        try (Connection alice = ConnectionFactory.create(client("alice", "alice-secret"))) {
            alice.admin().createOrUpdateUser("carol", "carol-1").get();
            assertThat(alice.admin().listUsers().get()).contains("alice", "broker", "carol");
            try (Connection carol = ConnectionFactory.create(client("carol", "carol-1"))) {
                assertThat(carol.admin().listDatabases().get()).isNotNull();
            }
            alice.admin().createOrUpdateUser("carol", "carol-2").get();
            assertRefused(client("carol", "carol-1"), AuthenticationException.class, "invalid username or password");
            try (Connection carol = ConnectionFactory.create(client("carol", "carol-2"))) {
                assertThat(carol.admin().listDatabases().get()).isNotNull();
            }
            assertThat(alice.admin().dropUser("carol").get()).isTrue();
            assertThat(alice.admin().dropUser("carol").get()).isFalse();
            assertRefused(client("carol", "carol-2"), AuthenticationException.class, "invalid username or password");
        }
    }

    @Test
    void connectionsOfADroppedOrRepasswordedUserAreClosedWithinTheCheckInterval() throws Exception {
        try (Connection alice = ConnectionFactory.create(client("alice", "alice-secret"))) {
            alice.admin().createOrUpdateUser("dave", "dave-1").get();
            alice.admin().createOrUpdateUser("erin", "erin-1").get();
            try (Connection dave = ConnectionFactory.create(client("dave", "dave-1"));
                    Connection erin = ConnectionFactory.create(client("erin", "erin-1"))) {
                assertThat(dave.admin().listDatabases().get()).isNotNull();
                assertThat(erin.admin().listDatabases().get()).isNotNull();
                alice.admin().createOrUpdateUser("dave", "dave-2").get();
                assertThat(alice.admin().dropUser("erin").get()).isTrue();
                // Their open connections are closed; reconnecting with what they proved before fails.
                TestCluster.waitUntil(() -> refused(dave) && refused(erin), Duration.ofSeconds(10),
                        "the connections of a re-passworded and a dropped user to be closed");
            }
            assertThat(alice.admin().listDatabases().get()).isNotNull(); // others unharmed
        }
    }

    /** Whether a request of {@code connection} now fails authentication. */
    private static boolean refused(Connection connection) {
        try {
            connection.admin().listDatabases().get(10, TimeUnit.SECONDS);
            return false;
        } catch (Exception e) {
            return unwrap(e) instanceof AuthenticationException;
        }
    }

    private static void assertRefused(Configuration conf, Class<? extends Throwable> type, String message) {
        try (Connection connection = ConnectionFactory.create(conf)) {
            assertThatThrownBy(() -> connection.admin().listDatabases().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(e -> assertThat(unwrap(e)).isInstanceOf(type).hasMessageContaining(message));
        }
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    @Test
    void beforeAuthenticationOnlySmallFramesAreReadAndAConnectionThatNeverAuthenticatesIsClosed() throws Exception {
        int port = CLUSTER.tabletServer(0).port(SecurityProtocol.SASL_PLAINTEXT);
        // 100 kb of ApiVersions before authenticating: answered with an error, then closed.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            int body = 100 * 1024;
            java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(4 + 8 + body)
                    .putInt(8 + body).putShort(io.thermocline.rpc.protocol.ApiKeys.API_VERSIONS.id()).putShort((short) 0)
                    .putInt(1);
            socket.getOutputStream().write(frame.array());
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).contains("before SASL authentication exceeds the 65536 bytes allowed");
        }
        // Connected and silent: closed once the authentication timeout (1 s here) has passed.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            assertThat(socket.getInputStream().read()).as("end of stream: the server closed it").isEqualTo(-1);
        }
    }
}

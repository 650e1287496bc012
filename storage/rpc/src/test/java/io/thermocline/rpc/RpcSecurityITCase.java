package io.thermocline.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.AuthenticationException;
import io.thermocline.common.exception.NetworkException;
import io.thermocline.common.exception.UnsupportedSaslMechanismException;
import io.thermocline.common.testutils.TestCertificates;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.messages.ApiVersionsRequest;
import io.thermocline.rpc.messages.ApiVersionsResponse;
import io.thermocline.rpc.messages.ListDatabasesRequest;
import io.thermocline.rpc.messages.ListDatabasesResponse;
import io.thermocline.rpc.messages.SaslHandshakeRequest;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.protocol.RpcOptions;
import io.thermocline.rpc.security.CredentialStore;
import io.thermocline.rpc.security.SaslMechanisms;
import io.thermocline.rpc.security.ScramCredential;
import io.thermocline.rpc.security.SecurityProtocol;
import io.thermocline.rpc.server.ApiVersionsHandler;
import io.thermocline.rpc.server.ListenerSecurity;
import io.thermocline.rpc.server.RpcServer;
import io.thermocline.rpc.server.RpcService;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SASL (SCRAM-SHA-256, PLAIN) and TLS on real sockets: a handler runs only for authenticated
 * connections and sees their principal; every refusal comes before any API runs, with a typed
 * error, and closes the connection.
 */
class RpcSecurityITCase {
    private static final String HOST = "127.0.0.1";
    private static final Map<String, ScramCredential> USERS = Map.of(
            "alice", ScramCredential.create("alice-secret", 4096),
            "bob, the =admin", ScramCredential.create("pässwörd", 8192));
    private static final byte[] SECRET = "a secret of the test's servers".getBytes(StandardCharsets.UTF_8);
    private static final CredentialStore STORE = new CredentialStore() {
        @Override
        public Optional<ScramCredential> credential(String user) {
            return Optional.ofNullable(USERS.get(user));
        }

        @Override
        public byte[] secret() {
            return SECRET.clone();
        }
    };
    /** Calls of the protected API, to show refused connections never reach it. */
    private static final AtomicInteger HANDLED = new AtomicInteger();

    @TempDir
    static Path dir;
    static Path keystore;
    static RpcServer saslPlaintext;
    static RpcServer saslSsl;
    static RpcServer plainAllowed;

    @BeforeAll
    static void start() throws Exception {
        keystore = TestCertificates.keystore(dir);
        Configuration serverConf = new Configuration()
                .set(RpcOptions.SSL_KEYSTORE, keystore.toString())
                .set(RpcOptions.SSL_KEYSTORE_PASSWORD, TestCertificates.PASSWORD);
        saslPlaintext = server(ListenerSecurity.of(SecurityProtocol.SASL_PLAINTEXT, serverConf, STORE));
        saslSsl = server(ListenerSecurity.of(SecurityProtocol.SASL_SSL, serverConf, STORE));
        plainAllowed = server(ListenerSecurity.of(SecurityProtocol.SASL_PLAINTEXT,
                new Configuration(serverConf.toMap()).set(RpcOptions.SASL_PLAIN_WITHOUT_TLS, true), STORE));
    }

    private static RpcServer server(ListenerSecurity security) {
        RpcService service = RpcService.builder()
                .register(ApiKeys.API_VERSIONS, ApiVersionsRequest.parser(), new ApiVersionsHandler("test"))
                // Answers with the principal the request came from.
                .register(ApiKeys.LIST_DATABASES, ListDatabasesRequest.parser(), (ctx, request) -> {
                    HANDLED.incrementAndGet();
                    return java.util.concurrent.CompletableFuture.completedFuture(ListDatabasesResponse.newBuilder()
                            .addDatabases(ctx.principal().toString()).addDatabases(ctx.listener().name()).build());
                })
                .build();
        return new RpcServer(HOST, 0, service, new Configuration(), security).start();
    }

    @AfterAll
    static void stop() {
        saslPlaintext.close();
        saslSsl.close();
        plainAllowed.close();
    }

    @Test
    void scramAuthenticatesAndHandlersSeeThePrincipal() throws Exception {
        assertThat(whoAmI(saslPlaintext, client(SecurityProtocol.SASL_PLAINTEXT, SaslMechanisms.SCRAM_SHA_256, "alice",
                "alice-secret"))).isEqualTo("User:alice SASL_PLAINTEXT");
        // Names with SCRAM's special characters, and a non-ASCII password, over TLS.
        assertThat(whoAmI(saslSsl, client(SecurityProtocol.SASL_SSL, SaslMechanisms.SCRAM_SHA_256, "bob, the =admin",
                "pässwörd"))).isEqualTo("User:bob, the =admin SASL_SSL");
    }

    @Test
    void plainWorksOverTlsAndIsRefusedWithoutBeforeThePasswordIsSent() throws Exception {
        assertThat(whoAmI(saslSsl, client(SecurityProtocol.SASL_SSL, SaslMechanisms.PLAIN, "alice", "alice-secret")))
                .isEqualTo("User:alice SASL_SSL");
        assertThatThrownBy(() -> whoAmI(saslPlaintext, client(SecurityProtocol.SASL_PLAINTEXT, SaslMechanisms.PLAIN,
                "alice", "alice-secret")))
                .isInstanceOf(UnsupportedSaslMechanismException.class)
                .hasMessageContaining("PLAIN is refused on a listener without TLS")
                .hasMessageContaining("offers [SCRAM-SHA-256]");
        // ... unless the listener allows it explicitly.
        assertThat(whoAmI(plainAllowed, client(SecurityProtocol.SASL_PLAINTEXT, SaslMechanisms.PLAIN, "alice",
                "alice-secret"))).isEqualTo("User:alice SASL_PLAINTEXT");
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefusedAlikeBeforeAnyApiCall() {
        int before = HANDLED.get();
        for (String mechanism : SaslMechanisms.ALL) {
            for (String[] credentials : new String[][] {{"alice", "wrong"}, {"mallory", "alice-secret"}}) {
                assertThatThrownBy(() -> whoAmI(saslSsl, client(SecurityProtocol.SASL_SSL, mechanism, credentials[0],
                        credentials[1])))
                        .as(mechanism + " " + credentials[0])
                        .isInstanceOf(AuthenticationException.class)
                        .hasMessage("Authentication failed: invalid username or password");
            }
        }
        assertThat(HANDLED.get()).isEqualTo(before);
    }

    @Test
    void anUnauthenticatedRequestOrAnUnknownMechanismIsAnsweredWithAnErrorAndTheConnectionClosed() throws Exception {
        int before = HANDLED.get();
        try (Socket socket = new Socket(HOST, saslPlaintext.port())) {
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            send(out, ApiKeys.LIST_DATABASES, 1, ListDatabasesRequest.getDefaultInstance().toByteArray());
            assertThat(errorOf(in, 1)).startsWith(Errors.AUTHENTICATION_FAILED + ": ListDatabases before SASL"
                    + " authentication on a SASL_PLAINTEXT listener");
            assertThat(in.read()).as("the connection is closed").isEqualTo(-1);
        }
        try (Socket socket = new Socket(HOST, saslPlaintext.port())) {
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            send(out, ApiKeys.SASL_HANDSHAKE, 2, SaslHandshakeRequest.newBuilder().setMechanism("GSSAPI").build()
                    .toByteArray());
            assertThat(errorOf(in, 2)).startsWith(Errors.UNSUPPORTED_SASL_MECHANISM + ": SASL mechanism 'GSSAPI' is"
                    + " not enabled here");
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(HANDLED.get()).isEqualTo(before);
        // ApiVersions is answered before authentication: clients may ask what a server speaks.
        try (RpcClient plaintext = new RpcClient(new Configuration())) {
            ServerConnection connection = plaintext.connect(new InetSocketAddress(HOST, saslPlaintext.port())).get();
            assertThat(connection.send(ApiKeys.API_VERSIONS, ApiVersionsRequest.getDefaultInstance(),
                    ApiVersionsResponse.parser()).get().getApiVersionsCount()).isPositive();
        }
    }

    @Test
    void tlsNeedsATrustedCertificateNamingTheHost() {
        Configuration untrusted = new Configuration()
                .set(RpcOptions.SECURITY_PROTOCOL, SecurityProtocol.SASL_SSL)
                .set(RpcOptions.SASL_USERNAME, "alice").set(RpcOptions.SASL_PASSWORD, "alice-secret");
        assertThatThrownBy(() -> whoAmI(saslSsl, untrusted)).isInstanceOf(NetworkException.class)
                .hasMessageContaining("Cannot connect to 127.0.0.1:" + saslSsl.port());
        // The certificate names 127.0.0.1 and localhost, not this address.
        Configuration wrongHost = client(SecurityProtocol.SASL_SSL, SaslMechanisms.SCRAM_SHA_256, "alice", "alice-secret");
        try (RpcClient rpc = new RpcClient(wrongHost)) {
            assertThatThrownBy(() -> rpc.connect(new InetSocketAddress("127.0.0.2", saslSsl.port())).get())
                    .hasCauseInstanceOf(NetworkException.class);
        }
        // Plain TCP to the TLS port gets nowhere either.
        assertThatThrownBy(() -> whoAmI(saslSsl, client(SecurityProtocol.SASL_PLAINTEXT, SaslMechanisms.SCRAM_SHA_256,
                "alice", "alice-secret"))).isInstanceOfAny(NetworkException.class,
                        java.util.concurrent.TimeoutException.class, io.thermocline.common.exception
                                .RequestTimeoutException.class);
    }

    private static Configuration client(SecurityProtocol protocol, String mechanism, String user, String password) {
        return new Configuration()
                .set(RpcOptions.SECURITY_PROTOCOL, protocol)
                .set(RpcOptions.SASL_MECHANISM, mechanism)
                .set(RpcOptions.SASL_USERNAME, user)
                .set(RpcOptions.SASL_PASSWORD, password)
                .set(RpcOptions.SSL_TRUSTSTORE, keystore.toString())
                .set(RpcOptions.SSL_TRUSTSTORE_PASSWORD, TestCertificates.PASSWORD)
                .set(RpcOptions.REQUEST_TIMEOUT, Duration.ofSeconds(5));
    }

    /** Connects as {@code conf} says and asks the protected API who it is; the connection's failure as thrown. */
    private static String whoAmI(RpcServer server, Configuration conf) throws Exception {
        try (RpcClient rpc = new RpcClient(conf)) {
            ServerConnection connection;
            try {
                connection = rpc.connect(new InetSocketAddress(HOST, server.port())).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw (Exception) e.getCause();
            }
            ListDatabasesResponse response = connection.send(ApiKeys.LIST_DATABASES,
                    ListDatabasesRequest.getDefaultInstance(), ListDatabasesResponse.parser()).get(10, TimeUnit.SECONDS);
            return String.join(" ", response.getDatabasesList());
        }
    }

    private static void send(DataOutputStream out, ApiKeys api, int requestId, byte[] body) throws Exception {
        out.writeInt(8 + body.length);
        out.writeShort(api.id());
        out.writeShort(api.maxVersion());
        out.writeInt(requestId);
        out.write(body);
        out.flush();
    }

    /** The error of the response to {@code requestId}, as "CODE: message". */
    private static String errorOf(DataInputStream in, int requestId) throws Exception {
        int length = in.readInt();
        assertThat(in.readInt()).isEqualTo(requestId);
        Errors error = Errors.forCode(in.readShort());
        byte[] body = new byte[length - 6];
        in.readFully(body);
        return error + ": " + new String(body, StandardCharsets.UTF_8);
    }
}

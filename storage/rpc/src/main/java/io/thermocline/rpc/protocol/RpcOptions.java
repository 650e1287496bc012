package io.thermocline.rpc.protocol;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.ConfigOptions;
import io.thermocline.common.config.MemorySize;
import io.thermocline.rpc.security.SaslMechanisms;
import io.thermocline.rpc.security.SecurityProtocol;

import java.time.Duration;

/** Options of the RPC layer, for servers and clients alike. */
public final class RpcOptions {
    private RpcOptions() {}

    public static final ConfigOption<MemorySize> MAX_FRAME_SIZE = ConfigOptions.key("rpc.max-frame-size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(64))
            .withDescription("Largest request or response frame accepted; a larger request is answered with"
                    + " an error naming both sizes and its connection is closed.")
            .checkedBy(s -> s.bytes() >= 1024 && s.bytes() <= Integer.MAX_VALUE, "between 1 kb and 2 gb - 1");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT = ConfigOptions.key("rpc.request-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("How long a client waits for a response before failing the request as timed out.")
            .checkedBy(d -> !d.isNegative() && !d.isZero(), "positive");

    public static final ConfigOption<Integer> SERVER_IO_THREADS = ConfigOptions.key("rpc.server.io-threads")
            .intType()
            .defaultValue(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .withDescription("Netty event loop threads of a server: framing and socket I/O only.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Integer> SERVER_HANDLER_THREADS = ConfigOptions.key("rpc.server.handler-threads")
            .intType()
            .defaultValue(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()))
            .withDescription("Threads of a server that run request handlers; requests beyond them wait their turn.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Integer> SERVER_MAX_INFLIGHT = ConfigOptions.key("rpc.server.max-inflight-per-connection")
            .intType()
            .defaultValue(128)
            .withDescription("Requests of one connection a server works on at once; at the limit it stops reading that"
                    + " connection until answers go out (as Kafka mutes a channel), so one client cannot queue without"
                    + " bound.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<MemorySize> SERVER_OUTBOUND_HIGH_WATER = ConfigOptions.key("rpc.server.outbound-buffer")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(8))
            .withDescription("Answers a server holds for one connection before it stops reading that connection until the"
                    + " client reads them.")
            .checkedBy(s -> s.bytes() >= 1024 && s.bytes() <= Integer.MAX_VALUE, "between 1 kb and 2 gb - 1");

    public static final ConfigOption<Duration> SERVER_STALLED_READER_TIMEOUT =
            ConfigOptions.key("rpc.server.stalled-reader-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("A connection whose client reads none of its pending answers for this long is closed: a"
                    + " reader that never reads must not hold a server's memory.")
            .checkedBy(d -> d.toMillis() >= 10, "at least 10 ms");

    public static final ConfigOption<Integer> SERVER_MAX_CONNECTIONS = ConfigOptions.key("rpc.server.max-connections")
            .intType()
            .defaultValue(10_000)
            .withDescription("Connections a listener keeps at once; one more is closed as it is accepted.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Duration> SASL_AUTHENTICATION_TIMEOUT =
            ConfigOptions.key("security.sasl.authentication-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("Servers: a connection to a SASL listener that has not authenticated this long after it"
                    + " opened is closed. Before it authenticates its frames may be at most 64 kb.")
            .checkedBy(d -> d.toMillis() >= 10, "at least 10 ms");

    // ------------------------------------------------------------------ security (docs/security.md)

    public static final ConfigOption<SecurityProtocol> SECURITY_PROTOCOL = ConfigOptions.key("security.protocol")
            .enumType(SecurityProtocol.class)
            .defaultValue(SecurityProtocol.PLAINTEXT)
            .withDescription("How connections to servers are made: PLAINTEXT, SASL_PLAINTEXT or SASL_SSL. A client"
                    + " must name addresses of listeners of that protocol in bootstrap.servers; servers reach each"
                    + " other over their listeners of this protocol.");

    public static final ConfigOption<String> SASL_MECHANISM = ConfigOptions.key("security.sasl.mechanism")
            .stringType()
            .defaultValue(SaslMechanisms.SCRAM_SHA_256)
            .withDescription("SASL mechanism of outgoing connections: SCRAM-SHA-256 or PLAIN.")
            .checkedBy(SaslMechanisms.ALL::contains, "one of " + SaslMechanisms.ALL);

    public static final ConfigOption<String> SASL_USERNAME = ConfigOptions.key("security.sasl.username")
            .stringType()
            .noDefaultValue()
            .withDescription("User that outgoing SASL connections authenticate as.");

    public static final ConfigOption<String> SASL_PASSWORD = ConfigOptions.key("security.sasl.password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password of security.sasl.username.");

    public static final ConfigOption<String> SASL_ENABLED_MECHANISMS = ConfigOptions.key("security.sasl.enabled-mechanisms")
            .stringType()
            .defaultValue(SaslMechanisms.SCRAM_SHA_256 + "," + SaslMechanisms.PLAIN)
            .withDescription("Servers: the SASL mechanisms their SASL listeners accept, comma-separated.")
            .checkedBy(v -> v.isBlank() || java.util.Arrays.stream(v.split(",")).map(String::trim)
                    .allMatch(SaslMechanisms.ALL::contains), "a comma-separated subset of " + SaslMechanisms.ALL);

    public static final ConfigOption<Boolean> SASL_PLAIN_WITHOUT_TLS =
            ConfigOptions.key("security.sasl.plain.allow-without-tls")
            .booleanType()
            .defaultValue(false)
            .withDescription("Servers: accept SASL PLAIN on a SASL_PLAINTEXT listener, where the password crosses"
                    + " the network in clear text. Off: such a client is refused before it sends the password.");

    public static final ConfigOption<Duration> SASL_CREDENTIAL_CHECK_INTERVAL =
            ConfigOptions.key("security.sasl.credential-check-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("Servers: how often authenticated connections are checked against their users' current"
                    + " credentials. A connection whose user was dropped or given a new password since it authenticated"
                    + " is closed at the next check; its client must authenticate again.")
            .checkedBy(d -> d.toMillis() >= 10, "at least 10 ms");

    public static final ConfigOption<String> SSL_KEYSTORE = ConfigOptions.key("security.ssl.keystore.location")
            .stringType()
            .noDefaultValue()
            .withDescription("Servers: keystore (PKCS12 or JKS) with the certificate and key of SASL_SSL listeners.");

    public static final ConfigOption<String> SSL_KEYSTORE_PASSWORD = ConfigOptions.key("security.ssl.keystore.password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password of the keystore and its key.");

    public static final ConfigOption<String> SSL_TRUSTSTORE = ConfigOptions.key("security.ssl.truststore.location")
            .stringType()
            .noDefaultValue()
            .withDescription("Truststore (PKCS12 or JKS) of the certificates a SASL_SSL connection trusts; without"
                    + " it, the JDK's default trust (public CAs).");

    public static final ConfigOption<String> SSL_TRUSTSTORE_PASSWORD = ConfigOptions.key("security.ssl.truststore.password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password of the truststore.");

    public static final ConfigOption<Boolean> SSL_ENDPOINT_IDENTIFICATION =
            ConfigOptions.key("security.ssl.endpoint-identification")
            .booleanType()
            .defaultValue(true)
            .withDescription("Check that a server's certificate names the host connected to (HTTPS rules).");
}

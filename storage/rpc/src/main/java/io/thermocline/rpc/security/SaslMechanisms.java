package io.thermocline.rpc.security;

import io.thermocline.common.exception.AuthenticationException;

import java.util.List;

/** The SASL mechanisms Thermocline speaks, and the two halves of each exchange. */
public final class SaslMechanisms {
    public static final String PLAIN = "PLAIN";
    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    public static final List<String> ALL = List.of(SCRAM_SHA_256, PLAIN);

    private SaslMechanisms() {}

    /** A server's side of one connection's exchange. */
    public interface Server {
        /** The answer to the client's next message; throws {@link AuthenticationException} when it fails. */
        byte[] evaluate(byte[] response);

        boolean isComplete();

        /** The user it authenticated; only once complete. */
        String user();

        /** The stored credential the user authenticated against; only once complete. */
        ScramCredential credential();
    }

    /** A client's side of the exchange. */
    public interface Client {
        byte[] initialResponse();

        /** The next message for the server's challenge; throws {@link AuthenticationException} when the server is not who it claims. */
        byte[] evaluate(byte[] challenge);

        boolean isComplete();
    }

    public static Server server(String mechanism, CredentialStore credentials) {
        return switch (mechanism) {
            case PLAIN -> new PlainServer(credentials);
            case SCRAM_SHA_256 -> new ScramServer(credentials);
            default -> throw new IllegalArgumentException("Unknown SASL mechanism " + mechanism);
        };
    }

    public static Client client(String mechanism, String user, String password) {
        return switch (mechanism) {
            case PLAIN -> new PlainClient(user, password);
            case SCRAM_SHA_256 -> new ScramClient(user, password);
            default -> throw new IllegalArgumentException("Unknown SASL mechanism " + mechanism + "; known: " + ALL);
        };
    }

    /** The one message for a failed exchange: it never tells an unknown user from a wrong password. */
    static AuthenticationException failed() {
        return new AuthenticationException("Authentication failed: invalid username or password");
    }
}

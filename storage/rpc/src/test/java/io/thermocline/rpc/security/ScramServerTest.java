package io.thermocline.rpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.AuthenticationException;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** What SCRAM's server tells about a user before the proof: nothing that tells a real user from an unknown one. */
class ScramServerTest {
    private static final ScramCredential ANN = ScramCredential.create("ann-secret", ScramCredential.DEFAULT_ITERATIONS);

    private static CredentialStore store(byte[] secret) {
        return new CredentialStore() {
            @Override
            public Optional<ScramCredential> credential(String user) {
                return Optional.ofNullable(Map.of("ann", ANN).get(user));
            }

            @Override
            public byte[] secret() {
                return secret;
            }
        };
    }

    /** The salt and iteration count the server answers a first message for {@code user} with. */
    private static String saltOf(CredentialStore store, String user) {
        ScramServer server = new ScramServer(store);
        String first = new String(server.evaluate(("n,,n=" + user + ",r=" + ScramMessages.nonce())
                .getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        Map<String, String> attributes = ScramMessages.attributes(first);
        return attributes.get("s") + "/" + attributes.get("i");
    }

    @Test
    void anUnknownUsersSaltIsAsStableAsARealUsers() {
        CredentialStore store = store("cluster secret".getBytes(StandardCharsets.UTF_8));
        assertThat(saltOf(store, "ann")).isEqualTo(saltOf(store, "ann"));
        // Asked again, by any server of the cluster (they share the secret): the same made-up salt.
        assertThat(saltOf(store, "mallory")).isEqualTo(saltOf(store, "mallory"))
                .isEqualTo(saltOf(store("cluster secret".getBytes(StandardCharsets.UTF_8)), "mallory"))
                .endsWith("/" + ScramCredential.DEFAULT_ITERATIONS);
        // Each name has its own, and another cluster's secret gives others.
        assertThat(saltOf(store, "mallory")).isNotEqualTo(saltOf(store, "eve"))
                .isNotEqualTo(saltOf(store("other secret".getBytes(StandardCharsets.UTF_8)), "mallory"));
    }

    @Test
    void anUnknownUserFailsAtTheProofLikeAWrongPassword() {
        CredentialStore store = store("cluster secret".getBytes(StandardCharsets.UTF_8));
        for (String user : new String[] {"mallory", "ann"}) {
            ScramClient client = new ScramClient(user, "guess");
            ScramServer server = new ScramServer(store);
            byte[] serverFirst = server.evaluate(client.initialResponse());
            byte[] clientFinal = client.evaluate(serverFirst);
            assertThatThrownBy(() -> server.evaluate(clientFinal)).as(user).isInstanceOf(AuthenticationException.class)
                    .hasMessage(SaslMechanisms.failed().getMessage());
        }
    }
}

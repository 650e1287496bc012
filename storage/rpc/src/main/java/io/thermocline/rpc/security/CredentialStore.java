package io.thermocline.rpc.security;

import java.util.Optional;

/** Where a server finds users' credentials (ZooKeeper on a cluster). Called off the event loops. */
public interface CredentialStore {
    /** No users: for listeners that authenticate no one. */
    CredentialStore NONE = new CredentialStore() {
        private final byte[] secret = ScramMessages.nonce().getBytes(java.nio.charset.StandardCharsets.UTF_8);

        @Override
        public Optional<ScramCredential> credential(String user) {
            return Optional.empty();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }
    };

    Optional<ScramCredential> credential(String user);

    /**
     * A secret every server of the cluster shares and keeps: the salt an unknown user is answered
     * with is derived from it, so it stays the same for that name on every server and attempt, as
     * a real user's does, and the user cannot be told apart from a real one.
     */
    byte[] secret();
}

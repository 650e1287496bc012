package io.thermocline.rpc.security;

import java.util.Optional;

/** Where a server finds users' credentials (ZooKeeper on a cluster). Called off the event loops. */
@FunctionalInterface
public interface CredentialStore {
    Optional<ScramCredential> credential(String user);
}

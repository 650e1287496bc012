package io.thermocline.server.security;

import io.thermocline.rpc.security.CredentialStore;
import io.thermocline.rpc.security.ScramCredential;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.Optional;

/** Users' SCRAM credentials in ZooKeeper, read at each authentication (a change applies to the next connection). */
public final class ZkCredentialStore implements CredentialStore {
    private final ZooKeeperMetadataStore store;

    public ZkCredentialStore(ZooKeeperMetadataStore store) {
        this.store = store;
    }

    @Override
    public Optional<ScramCredential> credential(String user) {
        return store.userCredential(user).map(ScramCredential::decode);
    }

    @Override
    public byte[] secret() {
        return store.clusterSecret();
    }
}

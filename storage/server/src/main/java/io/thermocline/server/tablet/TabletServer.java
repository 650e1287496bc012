package io.thermocline.server.tablet;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.rpc.messages.ApiVersionsRequest;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.server.ApiVersionsHandler;
import io.thermocline.rpc.server.RpcServer;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

/**
 * A tablet server process: listens for RPCs and registers itself in ZooKeeper for as long as it
 * lives, so that the coordinator places buckets on it. Hosting bucket logs and serving produce,
 * fetch and list-offsets come on top of this.
 */
public final class TabletServer implements AutoCloseable {
    private final Configuration conf;
    private final int id;
    private ZooKeeperMetadataStore store;
    private RpcServer rpcServer;

    public TabletServer(Configuration conf) {
        this.conf = conf;
        Integer configured = conf.get(ServerOptions.TABLET_SERVER_ID);
        if (configured == null) {
            throw new InvalidConfigException("Option 'tablet-server.id' must be set for a tablet server");
        }
        this.id = configured;
    }

    public TabletServer start() {
        String zookeeper = conf.get(ServerOptions.ZOOKEEPER_ADDRESS);
        if (zookeeper == null) {
            throw new InvalidConfigException("Option 'zookeeper.address' must be set for tablet server " + id);
        }
        RpcService service = RpcService.builder()
                .register(ApiKeys.API_VERSIONS, ApiVersionsRequest.parser(), new ApiVersionsHandler("0.1.0-SNAPSHOT"))
                .build();
        rpcServer = new RpcServer(conf.get(ServerOptions.BIND_HOST), conf.get(ServerOptions.BIND_PORT), service, conf)
                .start();
        store = ZooKeeperMetadataStore.connect(zookeeper, conf.get(ServerOptions.ZOOKEEPER_ROOT),
                conf.get(ServerOptions.ZOOKEEPER_SESSION_TIMEOUT));
        register(conf.get(ServerOptions.ZOOKEEPER_SESSION_TIMEOUT).toMillis());
        return this;
    }

    /**
     * A server restarted right after a crash finds its old registration still held by the dead
     * session until that session expires: wait for it, at most one session timeout and a bit.
     */
    private void register(long sessionTimeoutMs) {
        long deadline = System.currentTimeMillis() + sessionTimeoutMs * 3 / 2;
        while (true) {
            try {
                store.registerTabletServer(new TabletServerRegistration(id, rpcServer.host(), rpcServer.port(), null,
                        System.currentTimeMillis()));
                return;
            } catch (IllegalStateException e) {
                if (System.currentTimeMillis() > deadline) {
                    close();
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    close();
                    throw e;
                }
            }
        }
    }

    public int id() {
        return id;
    }

    public int port() {
        return rpcServer.port();
    }

    @Override
    public void close() {
        if (store != null) {
            store.close(); // ends the session: the registration vanishes at once
        }
        if (rpcServer != null) {
            rpcServer.close();
        }
    }
}

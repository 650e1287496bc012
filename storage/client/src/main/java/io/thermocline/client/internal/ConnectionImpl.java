package io.thermocline.client.internal;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.ClientOptions;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TieringGateway;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.rpc.client.RpcClient;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The client's shared sockets, threads and metadata. */
public final class ConnectionImpl implements Connection {
    private final RpcClient rpc;
    private final ScheduledExecutorService scheduler;
    private final AdminImpl admin;
    private final TieringGatewayImpl tiering;
    private final ConnectionPool pool;
    private final Configuration conf;

    public ConnectionImpl(Configuration conf) {
        List<InetSocketAddress> bootstrap = parseAddresses(conf.get(ClientOptions.BOOTSTRAP_SERVERS));
        this.rpc = new RpcClient(conf);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "thermocline-client-retry");
            t.setDaemon(true);
            return t;
        });
        this.conf = conf;
        this.pool = new ConnectionPool(rpc);
        CoordinatorChannel coordinator = new CoordinatorChannel(pool, bootstrap,
                conf.get(ClientOptions.ADMIN_TIMEOUT).toMillis(), conf.get(ClientOptions.RETRY_BACKOFF).toMillis(),
                scheduler);
        this.admin = new AdminImpl(coordinator, pool, new Retrier(conf.get(ClientOptions.ADMIN_TIMEOUT).toMillis(),
                conf.get(ClientOptions.RETRY_BACKOFF).toMillis(), scheduler));
        this.tiering = new TieringGatewayImpl(coordinator);
    }

    static List<InetSocketAddress> parseAddresses(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidConfigException("Option 'bootstrap.servers' must name at least one host:port");
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String part : text.split(",")) {
            String entry = part.trim();
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new InvalidConfigException("Option 'bootstrap.servers' has '" + entry + "', expected host:port");
            }
            try {
                addresses.add(new InetSocketAddress(entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1))));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("Option 'bootstrap.servers' has '" + entry + "': " + e.getMessage());
            }
        }
        return addresses;
    }

    @Override
    public Admin admin() {
        return admin;
    }

    @Override
    public TieringGateway tiering() {
        return tiering;
    }

    @Override
    public Table table(TablePath path) {
        return new TableImpl(path, admin, pool, conf, scheduler);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        rpc.close();
    }
}

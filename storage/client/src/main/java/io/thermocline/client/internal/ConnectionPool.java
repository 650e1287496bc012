package io.thermocline.client.internal;

import io.thermocline.rpc.client.ConnectionCache;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.client.ServerConnection;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Connections per server address and purpose; reconnects when closed. Reads get connections of
 * their own: a server answers a connection's requests in order, so a fetch parked waiting for data
 * would otherwise hold back the produce and admin responses behind it.
 */
final class ConnectionPool {
    /** What a connection carries. */
    enum Purpose { CONTROL, READ }

    private final Map<Purpose, ConnectionCache> connections = new EnumMap<>(Purpose.class);

    ConnectionPool(RpcClient rpc) {
        for (Purpose purpose : Purpose.values()) {
            connections.put(purpose, new ConnectionCache(rpc));
        }
    }

    CompletableFuture<ServerConnection> get(InetSocketAddress address, Purpose purpose) {
        return connections.get(purpose).get(address);
    }

    CompletableFuture<ServerConnection> get(String hostPort, Purpose purpose) {
        int colon = hostPort.lastIndexOf(':');
        return get(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                purpose);
    }
}

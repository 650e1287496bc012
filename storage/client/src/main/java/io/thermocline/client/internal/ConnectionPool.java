package io.thermocline.client.internal;

import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.client.ServerConnection;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections per server address and purpose; reconnects when closed. Reads get connections of
 * their own: a server answers a connection's requests in order, so a fetch parked waiting for data
 * would otherwise hold back the produce and admin responses behind it.
 */
final class ConnectionPool {
    /** What a connection carries. */
    enum Purpose { CONTROL, READ }

    private record Key(InetSocketAddress address, Purpose purpose) {}

    private final RpcClient rpc;
    private final Map<Key, CompletableFuture<ServerConnection>> connections = new ConcurrentHashMap<>();

    ConnectionPool(RpcClient rpc) {
        this.rpc = rpc;
    }

    CompletableFuture<ServerConnection> get(InetSocketAddress address, Purpose purpose) {
        return connections.compute(new Key(address, purpose), (key, existing) -> {
            boolean usable = existing != null && (!existing.isDone()
                    || (!existing.isCompletedExceptionally() && existing.join().isActive()));
            return usable ? existing : rpc.connect(key.address());
        });
    }

    CompletableFuture<ServerConnection> get(String hostPort, Purpose purpose) {
        int colon = hostPort.lastIndexOf(':');
        return get(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                purpose);
    }
}

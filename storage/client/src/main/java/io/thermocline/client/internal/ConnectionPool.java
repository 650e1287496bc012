package io.thermocline.client.internal;

import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.client.ServerConnection;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** One connection per server address, shared by admin, writers and scanners; reconnects when closed. */
final class ConnectionPool {
    private final RpcClient rpc;
    private final Map<InetSocketAddress, CompletableFuture<ServerConnection>> connections = new ConcurrentHashMap<>();

    ConnectionPool(RpcClient rpc) {
        this.rpc = rpc;
    }

    CompletableFuture<ServerConnection> get(InetSocketAddress address) {
        return connections.compute(address, (a, existing) -> {
            boolean usable = existing != null && (!existing.isDone()
                    || (!existing.isCompletedExceptionally() && existing.join().isActive()));
            return usable ? existing : rpc.connect(a);
        });
    }

    CompletableFuture<ServerConnection> get(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return get(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
    }
}

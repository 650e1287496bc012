package io.thermocline.rpc.client;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection per server address, opened on first use and again once it closed or failed to
 * open. Thread-safe; the connections close with their {@link RpcClient}.
 */
public final class ConnectionCache {
    private final RpcClient rpc;
    private final Map<InetSocketAddress, CompletableFuture<ServerConnection>> connections = new ConcurrentHashMap<>();

    public ConnectionCache(RpcClient rpc) {
        this.rpc = rpc;
    }

    public CompletableFuture<ServerConnection> get(InetSocketAddress address) {
        return connections.compute(address, (key, existing) -> {
            boolean usable = existing != null && (!existing.isDone()
                    || (!existing.isCompletedExceptionally() && existing.join().isActive()));
            return usable ? existing : rpc.connect(key);
        });
    }

    public CompletableFuture<ServerConnection> get(String host, int port) {
        return get(new InetSocketAddress(host, port));
    }
}

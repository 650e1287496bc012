package io.thermocline.client.internal;

import io.thermocline.common.exception.RetriableException;
import io.thermocline.rpc.protocol.ApiKeys;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends requests to the active coordinator. It starts with the bootstrap address that last worked
 * and moves to the next on a retriable error (a standby's NotCoordinator, a lost connection, a
 * timeout), pausing between tries, until the deadline. Thread-safe.
 */
final class CoordinatorChannel {
    private final ConnectionPool connections;
    private final List<InetSocketAddress> addresses;
    private final long timeoutMs;
    private final long backoffMs;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger current = new AtomicInteger();

    CoordinatorChannel(ConnectionPool connections, List<InetSocketAddress> addresses, long timeoutMs, long backoffMs,
            ScheduledExecutorService scheduler) {
        this.connections = connections;
        this.addresses = addresses;
        this.timeoutMs = timeoutMs;
        this.backoffMs = backoffMs;
        this.scheduler = scheduler;
    }

    <R extends MessageLite> CompletableFuture<R> call(ApiKeys api, MessageLite request, Parser<R> parser) {
        CompletableFuture<R> result = new CompletableFuture<>();
        attempt(api, request, parser, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs), result);
        return result;
    }

    private <R extends MessageLite> void attempt(ApiKeys api, MessageLite request, Parser<R> parser, long deadline,
            CompletableFuture<R> result) {
        int index = current.get();
        InetSocketAddress address = addresses.get(Math.floorMod(index, addresses.size()));
        connections.get(address, ConnectionPool.Purpose.CONTROL)
                .thenCompose(connection -> connection.send(api, request, parser))
                .whenComplete((response, error) -> {
                    if (error == null) {
                        result.complete(response);
                        return;
                    }
                    Throwable cause = unwrap(error);
                    if (!(cause instanceof RetriableException) || System.nanoTime() > deadline) {
                        result.completeExceptionally(cause);
                        return;
                    }
                    current.compareAndSet(index, index + 1); // try the next coordinator
                    scheduler.schedule(() -> attempt(api, request, parser, deadline, result), backoffMs,
                            TimeUnit.MILLISECONDS);
                });
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}

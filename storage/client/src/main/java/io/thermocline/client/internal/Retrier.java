package io.thermocline.client.internal;

import io.thermocline.common.exception.RetriableException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Repeats an operation that failed with a retriable error, pausing between tries, until a deadline. */
final class Retrier {
    private final long timeoutMs;
    private final long backoffMs;
    private final ScheduledExecutorService scheduler;

    Retrier(long timeoutMs, long backoffMs, ScheduledExecutorService scheduler) {
        this.timeoutMs = timeoutMs;
        this.backoffMs = backoffMs;
        this.scheduler = scheduler;
    }

    <T> CompletableFuture<T> retry(Supplier<CompletableFuture<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(operation, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs), result);
        return result;
    }

    private <T> void attempt(Supplier<CompletableFuture<T>> operation, long deadline, CompletableFuture<T> result) {
        CompletableFuture<T> attempt;
        try {
            attempt = operation.get();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = CoordinatorChannel.unwrap(error);
            if (!(cause instanceof RetriableException) || System.nanoTime() > deadline) {
                result.completeExceptionally(cause);
                return;
            }
            scheduler.schedule(() -> attempt(operation, deadline, result), backoffMs, TimeUnit.MILLISECONDS);
        });
    }
}

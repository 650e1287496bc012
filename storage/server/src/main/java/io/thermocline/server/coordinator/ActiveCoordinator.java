package io.thermocline.server.coordinator;

import io.thermocline.common.exception.NotCoordinatorException;
import io.thermocline.server.zk.CoordinatorElection;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs coordinator requests only while this coordinator is the active one; a standby answers
 * with a retriable {@link NotCoordinatorException} naming the active one.
 */
final class ActiveCoordinator {
    private final ZooKeeperMetadataStore store;
    /** Set once the server is bound; null means not elected yet. */
    private final Supplier<CoordinatorElection> election;

    ActiveCoordinator(ZooKeeperMetadataStore store, Supplier<CoordinatorElection> election) {
        this.store = store;
        this.election = election;
    }

    boolean isActive() {
        CoordinatorElection current = election.get();
        return current != null && current.isActive();
    }

    /** The epoch of this coordinator's term, which fences commands of older terms. */
    int epoch() {
        return election.get().epoch();
    }

    <R> CompletableFuture<R> serve(Supplier<R> action) {
        if (!isActive()) {
            String active = CoordinatorElection.active(store)
                    .map(c -> "the active coordinator is " + c.id() + " at " + c.host() + ":" + c.port())
                    .orElse("no coordinator is active yet");
            return CompletableFuture.failedFuture(new NotCoordinatorException("This coordinator is a standby; " + active));
        }
        return CompletableFuture.completedFuture(action.get());
    }
}

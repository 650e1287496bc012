package io.thermocline.server.coordinator;

import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The coordinator's decisions about one bucket, as pure functions of its replicas, current
 * leadership and the live servers: which replica leads next and with which ISR. Every leader
 * change bumps the leader epoch; ISR changes keep it.
 */
final class LeaderElection {
    private LeaderElection() {}

    /**
     * The first live in-sync replica in preference order, except {@code excluded} (a server
     * shutting down); with {@code unclean}, failing that, the first live replica at all.
     */
    static Optional<Integer> choose(List<Integer> replicas, List<Integer> isr, Set<Integer> live, int excluded,
            boolean unclean) {
        for (int replica : replicas) {
            if (replica != excluded && live.contains(replica) && isr.contains(replica)) {
                return Optional.of(replica);
            }
        }
        if (unclean) {
            for (int replica : replicas) {
                if (replica != excluded && live.contains(replica)) {
                    return Optional.of(replica);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The leadership after {@code gone} (dead or shutting down) leaves: a new leader if it led
     * (none, at a new epoch, when no in-sync replica is alive: the ISR then keeps its members so
     * that one of them, not a stale replica, leads when it returns), or a smaller ISR if it
     * followed. Empty when nothing changes.
     */
    static Optional<LeaderAndIsr> afterLeaving(List<Integer> replicas, LeaderAndIsr current, int gone, Set<Integer> live,
            boolean unclean, int coordinatorEpoch) {
        if (current.leader() == gone) {
            List<Integer> remaining = without(current.isr(), gone);
            Optional<Integer> next = choose(replicas, remaining, live, gone, unclean);
            if (next.isEmpty()) {
                return Optional.of(new LeaderAndIsr(-1, current.leaderEpoch() + 1, current.isr(), coordinatorEpoch));
            }
            List<Integer> isr = remaining.contains(next.get()) ? remaining : List.of(next.get());
            return Optional.of(new LeaderAndIsr(next.get(), current.leaderEpoch() + 1, isr, coordinatorEpoch));
        }
        if (current.isr().contains(gone) && current.leader() >= 0) {
            return Optional.of(new LeaderAndIsr(current.leader(), current.leaderEpoch(), without(current.isr(), gone),
                    coordinatorEpoch));
        }
        return Optional.empty();
    }

    /** A leader for a bucket that has none, if a live replica may lead it. */
    static Optional<LeaderAndIsr> electOffline(List<Integer> replicas, LeaderAndIsr current, Set<Integer> live,
            boolean unclean, int coordinatorEpoch) {
        if (current.leader() >= 0 && live.contains(current.leader())) {
            return Optional.empty();
        }
        Optional<Integer> next = choose(replicas, current.isr(), live, -1, unclean);
        if (next.isEmpty()) {
            if (current.leader() < 0) {
                return Optional.empty();
            }
            return Optional.of(new LeaderAndIsr(-1, current.leaderEpoch() + 1, current.isr(), coordinatorEpoch));
        }
        // Dead members cannot be in sync; an unclean leader starts a history of its own.
        List<Integer> isr = current.isr().contains(next.get())
                ? current.isr().stream().filter(live::contains).collect(Collectors.toList()) : List.of(next.get());
        return Optional.of(new LeaderAndIsr(next.get(), current.leaderEpoch() + 1, isr, coordinatorEpoch));
    }

    private static List<Integer> without(List<Integer> list, int value) {
        List<Integer> copy = new ArrayList<>(list);
        copy.remove(Integer.valueOf(value));
        return copy;
    }
}

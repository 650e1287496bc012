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

    /**
     * Leadership back to the preferred replica (the first of the assignment) when it is live, in
     * sync and not stopping, and another replica leads; empty otherwise.
     */
    static Optional<LeaderAndIsr> preferred(List<Integer> replicas, LeaderAndIsr current, Set<Integer> live,
            Set<Integer> stopping, int coordinatorEpoch) {
        int preferred = replicas.get(0);
        if (current.leader() == preferred || current.leader() < 0 || !live.contains(preferred)
                || stopping.contains(preferred) || !current.isr().contains(preferred)) {
            return Optional.empty();
        }
        return Optional.of(new LeaderAndIsr(preferred, current.leaderEpoch() + 1, current.isr(), coordinatorEpoch));
    }

    /**
     * The leadership that ends a reassignment to {@code target}, once every target replica is in
     * sync: a target replica leads (the current leader if it stays, else the first in sync in
     * target order) and the ISR keeps only target replicas. A new epoch either way, so that
     * every replica hears of the new replica set. Empty while a target replica is not in sync.
     */
    static Optional<LeaderAndIsr> completeMove(List<Integer> target, LeaderAndIsr current, Set<Integer> live,
            int coordinatorEpoch) {
        if (current.leader() < 0 || !current.isr().containsAll(target)) {
            return Optional.empty();
        }
        int leader = target.contains(current.leader()) ? current.leader()
                : target.stream().filter(live::contains).findFirst().orElse(-1);
        if (leader < 0) {
            return Optional.empty();
        }
        List<Integer> isr = current.isr().stream().filter(target::contains).collect(Collectors.toList());
        return Optional.of(new LeaderAndIsr(leader, current.leaderEpoch() + 1, isr, coordinatorEpoch));
    }

    private static List<Integer> without(List<Integer> list, int value) {
        List<Integer> copy = new ArrayList<>(list);
        copy.remove(Integer.valueOf(value));
        return copy;
    }
}

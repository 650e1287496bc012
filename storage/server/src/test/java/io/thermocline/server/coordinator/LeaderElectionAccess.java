package io.thermocline.server.coordinator;

import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The coordinator's election rules, for simulations in other packages. */
public final class LeaderElectionAccess {
    private LeaderElectionAccess() {}

    public static Optional<LeaderAndIsr> afterLeaving(List<Integer> replicas, LeaderAndIsr current, int gone,
            Set<Integer> live, boolean unclean, int coordinatorEpoch) {
        return LeaderElection.afterLeaving(replicas, current, gone, live, unclean, coordinatorEpoch);
    }

    public static Optional<LeaderAndIsr> electOffline(List<Integer> replicas, LeaderAndIsr current, Set<Integer> live,
            boolean unclean, int coordinatorEpoch) {
        return LeaderElection.electOffline(replicas, current, live, unclean, coordinatorEpoch);
    }
}

package io.thermocline.server.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.InvalidRequestException;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

class BucketPlacementTest {

    @Test
    void leadersAndReplicasAreBalancedWithoutDuplicates() {
        Map<Integer, List<Integer>> placement = BucketPlacement.assign(12, 3, List.of(3, 1, 2), 0);
        Map<Integer, Integer> leaders = new HashMap<>();
        Map<Integer, Integer> replicas = new HashMap<>();
        placement.forEach((bucket, set) -> {
            assertThat(new HashSet<>(set)).hasSize(3);
            leaders.merge(set.get(0), 1, Integer::sum);
            set.forEach(s -> replicas.merge(s, 1, Integer::sum));
        });
        assertThat(leaders).containsOnly(Map.entry(1, 4), Map.entry(2, 4), Map.entry(3, 4));
        assertThat(replicas).containsOnly(Map.entry(1, 12), Map.entry(2, 12), Map.entry(3, 12));
        assertThat(BucketPlacement.assign(1, 1, List.of(1, 2, 3), 4).get(0)).containsExactly(2);
    }

    @Test
    void impossiblePlacementsNameTheReason() {
        assertThatThrownBy(() -> BucketPlacement.assign(3, 2, List.of(), 0))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("No tablet server");
        assertThatThrownBy(() -> BucketPlacement.assign(3, 4, List.of(1, 2, 3), 0))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Replication factor 4 exceeds the 3 tablet servers of the cluster");
    }
}

package io.thermocline.server.coordinator;

import io.thermocline.common.exception.InvalidRequestException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads the replicas of a table's buckets over the cluster's tablet servers: bucket b's preferred
 * leader is server (start + b) mod n and its followers the next ones, so that leaders and replicas
 * are balanced and no server holds two replicas of one bucket. {@code start} varies per table so
 * that small tables do not all lead on the first server.
 */
final class BucketPlacement {
    private BucketPlacement() {}

    static Map<Integer, List<Integer>> assign(int bucketCount, int replicationFactor, List<Integer> servers, int start) {
        if (servers.isEmpty()) {
            throw new InvalidRequestException("No tablet server has registered yet to place the buckets on");
        }
        if (replicationFactor > servers.size()) {
            throw new InvalidRequestException("Replication factor " + replicationFactor + " exceeds the "
                    + servers.size() + " tablet servers of the cluster " + servers);
        }
        List<Integer> sorted = new ArrayList<>(servers);
        sorted.sort(null);
        Map<Integer, List<Integer>> replicas = new HashMap<>();
        for (int bucket = 0; bucket < bucketCount; bucket++) {
            List<Integer> set = new ArrayList<>(replicationFactor);
            for (int r = 0; r < replicationFactor; r++) {
                set.add(sorted.get(Math.floorMod(start + bucket + r, sorted.size())));
            }
            replicas.put(bucket, set);
        }
        return replicas;
    }
}

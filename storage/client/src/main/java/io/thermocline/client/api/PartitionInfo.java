package io.thermocline.client.api;

import java.util.List;
import java.util.Map;

/**
 * A partition of a table.
 *
 * @param name {@code key=value/key=value} in partition-key order
 * @param spec each partition column's canonical value, in partition-key order
 * @param buckets each bucket's leader, replicas and in-sync replicas, as the coordinator knows them
 */
public record PartitionInfo(long partitionId, String name, Map<String, String> spec, long createdAt,
        List<TableInfo.BucketLeader> buckets) {}

package io.thermocline.client.api;

import java.util.Map;

/**
 * A partition of a table.
 *
 * @param name {@code key=value/key=value} in partition-key order
 * @param spec each partition column's canonical value, in partition-key order
 */
public record PartitionInfo(long partitionId, String name, Map<String, String> spec, long createdAt) {}

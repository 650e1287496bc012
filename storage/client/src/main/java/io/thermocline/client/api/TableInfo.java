package io.thermocline.client.api;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;

import java.util.List;
import java.util.Map;

/**
 * A table as the cluster knows it: id, latest schema, layout, options and each bucket's leader.
 *
 * @param buckets by bucket number
 */
public record TableInfo(
        long tableId,
        TablePath path,
        Schema schema,
        int bucketCount,
        List<String> bucketKeys,
        Map<String, String> options,
        String comment,
        long createdAt,
        List<BucketLeader> buckets) {

    /** Where a bucket is served; {@code leader} is -1 while it has none. */
    public record BucketLeader(int bucket, int leader, int leaderEpoch, List<Integer> replicas, String leaderAddress) {}
}

package io.thermocline.client.api;

import io.thermocline.common.metadata.TableBucket;

import java.util.Map;

/**
 * The newest lake snapshot of a table that the coordinator knows of: the Iceberg snapshot id and,
 * per bucket, the end offset (exclusive) up to which its rows are in that snapshot. Rows at or
 * after a bucket's end offset are only in the hot tier.
 */
public record LakeSnapshot(long tableId, long snapshotId, long tieringEpoch, Map<TableBucket, Long> endOffsets) {
    public LakeSnapshot {
        endOffsets = Map.copyOf(endOffsets);
    }

    /** Where the hot tier takes over for a bucket: 0 when nothing of it is tiered. */
    public long endOffset(TableBucket bucket) {
        return endOffsets.getOrDefault(bucket, 0L);
    }
}

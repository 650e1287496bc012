package io.thermocline.flink.source;

import org.apache.flink.api.connector.source.SourceSplit;

import java.io.Serializable;

/**
 * One bucket (of a partition, for partitioned tables) to read from {@code startOffset}; bounded
 * reads stop at {@code stopOffset}, fixed when the read began. The reader's checkpoint stores the
 * next offset as the new start.
 */
public final class BucketSplit implements SourceSplit, Serializable {
    private static final long serialVersionUID = 1L;
    /** No stop: an unbounded read. */
    public static final long NO_STOP = Long.MAX_VALUE;

    public final long partitionId;
    public final int bucket;
    public final long startOffset;
    public final long stopOffset;

    public BucketSplit(long partitionId, int bucket, long startOffset, long stopOffset) {
        this.partitionId = partitionId;
        this.bucket = bucket;
        this.startOffset = startOffset;
        this.stopOffset = stopOffset;
    }

    public BucketSplit from(long offset) {
        return new BucketSplit(partitionId, bucket, offset, stopOffset);
    }

    @Override
    public String splitId() {
        return partitionId + "-" + bucket;
    }

    @Override
    public String toString() {
        return "bucket " + bucket + (partitionId >= 0 ? " of partition " + partitionId : "") + " from " + startOffset
                + (stopOffset == NO_STOP ? "" : " to " + stopOffset);
    }
}

package io.thermocline.flink.source;

import org.apache.flink.api.connector.source.SourceSplit;

import java.io.Serializable;

/**
 * One bucket (of a partition, for partitioned tables) to read from {@code startOffset}; bounded
 * reads stop at {@code stopOffset}, fixed when the read began. The reader's checkpoint stores the
 * next offset as the new start.
 *
 * <p>A lake split ({@code lakeSnapshotId >= 0}) is instead bucket number {@code bucket} of every
 * partition in that Iceberg snapshot: the rows before the offsets the snapshot records, which the
 * hot splits of a union read start at. Its {@code startOffset} counts the rows already emitted.
 */
public final class BucketSplit implements SourceSplit, Serializable {
    private static final long serialVersionUID = 1L;
    /** No stop: an unbounded read. */
    public static final long NO_STOP = Long.MAX_VALUE;

    public final long partitionId;
    public final int bucket;
    public final long startOffset;
    public final long stopOffset;
    public final long lakeSnapshotId;

    public BucketSplit(long partitionId, int bucket, long startOffset, long stopOffset) {
        this(partitionId, bucket, startOffset, stopOffset, -1);
    }

    private BucketSplit(long partitionId, int bucket, long startOffset, long stopOffset, long lakeSnapshotId) {
        this.partitionId = partitionId;
        this.bucket = bucket;
        this.startOffset = startOffset;
        this.stopOffset = stopOffset;
        this.lakeSnapshotId = lakeSnapshotId;
    }

    /** Bucket number {@code bucket} of every partition in a lake snapshot. */
    public static BucketSplit lake(long snapshotId, int bucket) {
        return new BucketSplit(-1, bucket, 0, 0, snapshotId);
    }

    static BucketSplit of(long partitionId, int bucket, long startOffset, long stopOffset, long lakeSnapshotId) {
        return new BucketSplit(partitionId, bucket, startOffset, stopOffset, lakeSnapshotId);
    }

    public boolean isLake() {
        return lakeSnapshotId >= 0;
    }

    public BucketSplit from(long offset) {
        return new BucketSplit(partitionId, bucket, offset, stopOffset, lakeSnapshotId);
    }

    @Override
    public String splitId() {
        return isLake() ? "lake-" + bucket : partitionId + "-" + bucket;
    }

    @Override
    public String toString() {
        if (isLake()) {
            return "bucket " + bucket + " in lake snapshot " + lakeSnapshotId + " after " + startOffset + " rows";
        }
        return "bucket " + bucket + (partitionId >= 0 ? " of partition " + partitionId : "") + " from " + startOffset
                + (stopOffset == NO_STOP ? "" : " to " + stopOffset);
    }
}

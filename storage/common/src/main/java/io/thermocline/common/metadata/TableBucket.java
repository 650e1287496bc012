package io.thermocline.common.metadata;

import java.io.Serializable;
import java.util.Objects;

/**
 * One bucket of a table (or of one partition of a partitioned table): the unit of ordering,
 * replication, offsets and tiering. Immutable.
 */
public final class TableBucket implements Serializable, Comparable<TableBucket> {
    private static final long serialVersionUID = 1L;

    /** Marks a bucket of a table without partitions. */
    public static final long NO_PARTITION = -1L;

    private final long tableId;
    private final long partitionId;
    private final int bucket;

    public TableBucket(long tableId, long partitionId, int bucket) {
        if (bucket < 0) {
            throw new IllegalArgumentException("Bucket must not be negative, got " + bucket);
        }
        this.tableId = tableId;
        this.partitionId = partitionId;
        this.bucket = bucket;
    }

    public TableBucket(long tableId, int bucket) {
        this(tableId, NO_PARTITION, bucket);
    }

    public long tableId() {
        return tableId;
    }

    /** The partition id, or {@link #NO_PARTITION}. */
    public long partitionId() {
        return partitionId;
    }

    public boolean isPartitioned() {
        return partitionId != NO_PARTITION;
    }

    public int bucket() {
        return bucket;
    }

    /** By table, then partition, then bucket. */
    @Override
    public int compareTo(TableBucket other) {
        int c = Long.compare(tableId, other.tableId);
        if (c == 0) {
            c = Long.compare(partitionId, other.partitionId);
        }
        return c != 0 ? c : Integer.compare(bucket, other.bucket);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TableBucket)) {
            return false;
        }
        TableBucket that = (TableBucket) o;
        return tableId == that.tableId && partitionId == that.partitionId && bucket == that.bucket;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tableId, partitionId, bucket);
    }

    /** Reads as {@code table 12 bucket 3} or {@code table 12 partition 7 bucket 3}. */
    @Override
    public String toString() {
        return "table " + tableId + (isPartitioned() ? " partition " + partitionId : "") + " bucket " + bucket;
    }
}

package io.thermocline.tiering.source;

import org.apache.flink.api.connector.source.SourceSplit;

import java.io.Serializable;

/**
 * One bucket's share of a tiering round: its rows in {@code [startOffset, endOffset)}, the end
 * fixed when the round began. Carries what the writer and the committer need to know of the
 * round: its epoch, how many buckets it has, and the offsets the lake held when it began.
 */
public final class TieringSplit implements SourceSplit, Serializable {
    private static final long serialVersionUID = 1L;

    public final RoundInfo round;
    public final long partitionId;
    public final int bucket;
    public final long startOffset;
    public final long endOffset;

    public TieringSplit(RoundInfo round, long partitionId, int bucket, long startOffset, long endOffset) {
        this.round = round;
        this.partitionId = partitionId;
        this.bucket = bucket;
        this.startOffset = startOffset;
        this.endOffset = endOffset;
    }

    @Override
    public String splitId() {
        return round.tableId + "-" + round.epoch + "-" + partitionId + "-" + bucket;
    }

    @Override
    public String toString() {
        return "tiering split of " + round.database + "." + round.table + " partition " + partitionId + " bucket " + bucket
                + " [" + startOffset + ", " + endOffset + ") in round " + round.epoch;
    }
}

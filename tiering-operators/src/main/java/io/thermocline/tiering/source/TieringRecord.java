package io.thermocline.tiering.source;

/**
 * What the tiering source hands the lake writer: a bucket's stored log batches (undecoded, the
 * writer takes the rows in {@code [from, to)}), or the end of a bucket's rows in the round. A
 * Flink POJO; the batches travel as bytes.
 */
public final class TieringRecord {
    public RoundInfo round;
    public long partitionId;
    public int bucket;
    public long from;
    public long to;
    /** Null on the bucket's end marker. */
    public byte[] batches;

    public TieringRecord() {}

    public TieringRecord(RoundInfo round, long partitionId, int bucket, long from, long to, byte[] batches) {
        this.round = round;
        this.partitionId = partitionId;
        this.bucket = bucket;
        this.from = from;
        this.to = to;
        this.batches = batches;
    }

    public boolean isEnd() {
        return batches == null;
    }
}

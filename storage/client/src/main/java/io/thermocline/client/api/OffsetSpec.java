package io.thermocline.client.api;

/**
 * Which offset of a bucket to look up: the oldest kept, the latest committed (the next offset a
 * reader will see), or the first committed at or after a time.
 */
public final class OffsetSpec {
    private static final OffsetSpec EARLIEST = new OffsetSpec(0, 0);
    private static final OffsetSpec LATEST = new OffsetSpec(1, 0);

    private final int kind;
    private final long timestamp;

    private OffsetSpec(int kind, long timestamp) {
        this.kind = kind;
        this.timestamp = timestamp;
    }

    /** The log start offset: the oldest row still kept. */
    public static OffsetSpec earliest() {
        return EARLIEST;
    }

    /** The high watermark: the offset the next committed row will get. */
    public static OffsetSpec latest() {
        return LATEST;
    }

    /** The first row committed at or after {@code epochMillis}; -1 when none is. */
    public static OffsetSpec timestamp(long epochMillis) {
        return new OffsetSpec(2, epochMillis);
    }

    /** The wire code of the spec (0 earliest, 1 latest, 2 timestamp). */
    public int kind() {
        return kind;
    }

    public long timestampMillis() {
        return timestamp;
    }

    @Override
    public String toString() {
        return kind == 0 ? "earliest" : kind == 1 ? "latest" : "timestamp " + timestamp;
    }
}

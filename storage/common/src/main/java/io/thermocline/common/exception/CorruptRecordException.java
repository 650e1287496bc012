package io.thermocline.common.exception;

import io.thermocline.common.metadata.TableBucket;

/**
 * A record batch whose bytes are damaged: wrong CRC, impossible length or a torn tail. Retriable,
 * because a batch damaged in transit is intact when sent again. Nothing is appended from a
 * request that carries such a batch.
 */
public class CorruptRecordException extends RetriableException {
    private static final long serialVersionUID = 1L;

    private final TableBucket bucket;
    private final long offset;

    public CorruptRecordException(TableBucket bucket, long offset, String reason) {
        super("Corrupt record batch in " + bucket + " at offset " + offset + ": " + reason);
        this.bucket = bucket;
        this.offset = offset;
    }

    /** Rebuilt from the wire, where only the message travels: bucket unknown, offset -1. */
    public CorruptRecordException(String message) {
        super(message);
        this.bucket = null;
        this.offset = -1;
    }

    /** The bucket, or null when rebuilt from the wire. */
    public TableBucket bucket() {
        return bucket;
    }

    /** The log offset at which the batch stands or would have been appended. */
    public long offset() {
        return offset;
    }
}

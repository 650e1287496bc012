package io.thermocline.common.exception;

import io.thermocline.common.metadata.TableBucket;

/**
 * A record batch that is intact but not acceptable: unknown magic, unknown attributes, a record
 * count that contradicts its offsets, or a schema id the table does not have. Not retriable: the
 * writer must be fixed or upgraded. Nothing is appended from a request that carries such a batch.
 */
public class InvalidRecordException extends ApiException {
    private static final long serialVersionUID = 1L;

    private final TableBucket bucket;
    private final long offset;

    public InvalidRecordException(TableBucket bucket, long offset, String reason) {
        super("Invalid record batch in " + bucket + " at offset " + offset + ": " + reason);
        this.bucket = bucket;
        this.offset = offset;
    }

    /** Rebuilt from the wire, where only the message travels: bucket unknown, offset -1. */
    public InvalidRecordException(String message) {
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

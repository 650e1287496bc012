package io.thermocline.common.exception;

import io.thermocline.common.metadata.TableBucket;

/** A batch larger than the bucket accepts. The writer must send smaller batches. */
public class RecordBatchTooLargeException extends ApiException {
    private static final long serialVersionUID = 1L;

    public RecordBatchTooLargeException(TableBucket bucket, long offset, int size, int limit) {
        super("Record batch of " + size + " bytes for " + bucket + " at offset " + offset
                + " exceeds the limit of " + limit + " bytes (log.max-batch-size)");
    }

    public RecordBatchTooLargeException(String message) {
        super(message);
    }
}

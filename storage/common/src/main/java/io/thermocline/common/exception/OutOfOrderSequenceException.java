package io.thermocline.common.exception;

/** An idempotent writer's batch skipped sequence numbers for a bucket: a batch before it was lost. The writer must fail the rows rather than reorder them. */
public class OutOfOrderSequenceException extends ApiException {
    private static final long serialVersionUID = 1L;

    public OutOfOrderSequenceException(String message) {
        super(message);
    }
}

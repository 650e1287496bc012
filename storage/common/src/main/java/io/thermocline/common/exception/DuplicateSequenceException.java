package io.thermocline.common.exception;

/**
 * An idempotent writer's batch has a sequence older than the batches the bucket still keeps for
 * that writer: it was appended (or applied) long ago. A writer resending committed work (a sink
 * committing again after a restore) takes this as done.
 */
public class DuplicateSequenceException extends ApiException {
    private static final long serialVersionUID = 1L;

    public DuplicateSequenceException(String message) {
        super(message);
    }
}

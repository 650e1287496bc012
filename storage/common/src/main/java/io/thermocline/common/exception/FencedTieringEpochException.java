package io.thermocline.common.exception;

/**
 * A tiering job spoke for a table with an epoch that is no longer current: the table was handed to
 * another job (after a heartbeat timeout) or its round already ended. The job must drop the round.
 */
public class FencedTieringEpochException extends ApiException {
    private static final long serialVersionUID = 1L;

    public FencedTieringEpochException(String message) {
        super(message);
    }
}

package io.thermocline.common.exception;

/**
 * The bucket's leader cannot serve the request yet, e.g. a new leader whose committed state is
 * still catching up. Retriable: it can in a moment.
 */
public class LeaderNotAvailableException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public LeaderNotAvailableException(String message) {
        super(message);
    }
}

package io.thermocline.common.exception;

/** A transient error: the same request may succeed when sent again. */
public class RetriableException extends ApiException {
    private static final long serialVersionUID = 1L;

    public RetriableException(String message) {
        super(message);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}

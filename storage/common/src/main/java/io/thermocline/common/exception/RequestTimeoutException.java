package io.thermocline.common.exception;

/** No response arrived within the request timeout. The request may still have been carried out: a writer relies on idempotence when it retries. */
public class RequestTimeoutException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public RequestTimeoutException(String message) {
        super(message);
    }

    public RequestTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}

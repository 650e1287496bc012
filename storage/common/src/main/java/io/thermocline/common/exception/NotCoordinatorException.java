package io.thermocline.common.exception;

/**
 * The server is not the active coordinator. Retriable: the message names the active coordinator
 * when one is known; the client sends the request there.
 */
public class NotCoordinatorException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public NotCoordinatorException(String message) {
        super(message);
    }
}

package io.thermocline.common.exception;

/**
 * The server does not lead the bucket. Retriable: the client refreshes its metadata and sends
 * the request to the leader the message names.
 */
public class NotLeaderException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public NotLeaderException(String message) {
        super(message);
    }
}

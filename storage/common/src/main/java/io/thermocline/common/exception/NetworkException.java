package io.thermocline.common.exception;

/** The connection to a server failed or closed before the response arrived. Retriable: the client reconnects, refreshing metadata first if the server may be gone. */
public class NetworkException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public NetworkException(String message) {
        super(message);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}

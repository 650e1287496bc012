package io.thermocline.common.exception;

/** An unexpected error on the server; its details are in the server log, never on the wire. */
public class UnknownServerException extends ApiException {
    private static final long serialVersionUID = 1L;

    public UnknownServerException(String message) {
        super(message);
    }

    public UnknownServerException(String message, Throwable cause) {
        super(message, cause);
    }
}

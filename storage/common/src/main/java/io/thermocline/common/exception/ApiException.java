package io.thermocline.common.exception;

/**
 * An error that crosses the wire between servers and clients. It is sent as an error code and
 * a message, never with a stack trace, so its message must say everything the caller needs.
 */
public class ApiException extends ThermoclineException {
    private static final long serialVersionUID = 1L;

    public ApiException(String message) {
        super(message);
    }

    public ApiException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.thermocline.common.exception;

/** A request the server cannot parse or does not accept: malformed body, frame over the size limit. */
public class InvalidRequestException extends ApiException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.thermocline.common.exception;

/** A configuration value that cannot be parsed or is outside its allowed range. */
public class InvalidConfigException extends ApiException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}

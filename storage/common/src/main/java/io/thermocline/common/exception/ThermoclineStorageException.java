package io.thermocline.common.exception;

/** A local storage failure (I/O error on a log or index file). The replica should go offline. */
public class ThermoclineStorageException extends ThermoclineException {
    private static final long serialVersionUID = 1L;

    public ThermoclineStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}

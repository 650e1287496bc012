package io.thermocline.common.exception;

/** A database of that name exists already. */
public class DatabaseAlreadyExistsException extends ApiException {
    private static final long serialVersionUID = 1L;

    public DatabaseAlreadyExistsException(String message) {
        super(message);
    }
}

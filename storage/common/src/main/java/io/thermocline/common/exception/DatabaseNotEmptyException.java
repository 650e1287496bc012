package io.thermocline.common.exception;

/** The database still holds tables; drop them first or drop with cascade. */
public class DatabaseNotEmptyException extends ApiException {
    private static final long serialVersionUID = 1L;

    public DatabaseNotEmptyException(String message) {
        super(message);
    }
}

package io.thermocline.common.exception;

/** No database of that name exists. */
public class DatabaseNotExistException extends ApiException {
    private static final long serialVersionUID = 1L;

    public DatabaseNotExistException(String message) {
        super(message);
    }
}

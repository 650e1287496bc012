package io.thermocline.common.exception;

/** A table of that name exists already in the database. */
public class TableAlreadyExistsException extends ApiException {
    private static final long serialVersionUID = 1L;

    public TableAlreadyExistsException(String message) {
        super(message);
    }
}

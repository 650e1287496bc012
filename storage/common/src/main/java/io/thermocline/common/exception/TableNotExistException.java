package io.thermocline.common.exception;

/** No table of that name exists in the database. */
public class TableNotExistException extends ApiException {
    private static final long serialVersionUID = 1L;

    public TableNotExistException(String message) {
        super(message);
    }
}

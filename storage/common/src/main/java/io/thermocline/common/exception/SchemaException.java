package io.thermocline.common.exception;

/** A schema that is not valid, or a value that does not fit its schema. */
public class SchemaException extends ApiException {
    private static final long serialVersionUID = 1L;

    public SchemaException(String message) {
        super(message);
    }
}

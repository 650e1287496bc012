package io.thermocline.common.exception;

/** A partition with those values already exists in the table. */
public class PartitionAlreadyExistsException extends ApiException {
    private static final long serialVersionUID = 1L;

    public PartitionAlreadyExistsException(String message) {
        super(message);
    }
}

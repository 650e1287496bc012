package io.thermocline.common.exception;

/** A read asked for an offset outside the bucket's log start and end offsets. */
public class OffsetOutOfRangeException extends ApiException {
    private static final long serialVersionUID = 1L;

    public OffsetOutOfRangeException(String message) {
        super(message);
    }
}

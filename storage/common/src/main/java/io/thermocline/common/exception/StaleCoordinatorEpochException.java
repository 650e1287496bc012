package io.thermocline.common.exception;

/** A command came from a coordinator that has since been replaced: it is refused. */
public class StaleCoordinatorEpochException extends ApiException {
    private static final long serialVersionUID = 1L;

    public StaleCoordinatorEpochException(String message) {
        super(message);
    }
}

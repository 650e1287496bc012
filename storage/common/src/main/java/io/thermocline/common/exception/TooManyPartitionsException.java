package io.thermocline.common.exception;

/** Creating the partition would take the table past the cluster's partition limit (coordinator.max-partitions-per-table). */
public class TooManyPartitionsException extends ApiException {
    private static final long serialVersionUID = 1L;

    public TooManyPartitionsException(String message) {
        super(message);
    }
}

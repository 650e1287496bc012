package io.thermocline.common.exception;

/** The request carried a newer leader epoch than the replica knows yet: the replica has not heard of the leader change. Retriable. */
public class UnknownLeaderEpochException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public UnknownLeaderEpochException(String message) {
        super(message);
    }
}

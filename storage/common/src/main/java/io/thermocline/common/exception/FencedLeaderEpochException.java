package io.thermocline.common.exception;

/** The request carried an older leader epoch than the replica's: the sender's view of the leader is stale. Retriable after a metadata refresh. */
public class FencedLeaderEpochException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public FencedLeaderEpochException(String message) {
        super(message);
    }
}

package io.thermocline.common.exception;

/** Fewer replicas are in sync than the table's min in-sync replicas: a write that needs all in-sync replicas was not acknowledged, and is not visible to readers. Retriable: replicas come back. */
public class NotEnoughReplicasException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public NotEnoughReplicasException(String message) {
        super(message);
    }
}

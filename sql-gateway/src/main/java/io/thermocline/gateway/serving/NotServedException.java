package io.thermocline.gateway.serving;

/** A served statement found, when it read, that only a Flink job gives its answer; nothing was returned yet. */
public final class NotServedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotServedException(String reason) {
        super(reason);
    }
}

package io.thermocline.server.coordinator;

import io.thermocline.common.exception.FencedLeaderEpochException;
import io.thermocline.rpc.messages.BucketLeaderAndIsr;

/** A current leader proposed an ISR from an outdated bucket version; carries the state it should adopt. */
final class StaleIsrVersionException extends FencedLeaderEpochException {
    private static final long serialVersionUID = 1L;

    private final transient BucketLeaderAndIsr current;

    StaleIsrVersionException(String message, BucketLeaderAndIsr current) {
        super(message);
        this.current = current;
    }

    BucketLeaderAndIsr current() {
        return current;
    }
}

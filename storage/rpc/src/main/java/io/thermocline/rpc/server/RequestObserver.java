package io.thermocline.rpc.server;

import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;

/** Told of every request a server answered: what for metrics. Called on a connection's event loop, so it must not block. */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = (api, nanos, error) -> {};

    /**
     * @param api the request's API, or null when the frame named no API this server knows
     * @param latencyNanos from the frame's arrival to its response being queued
     * @param error {@link Errors#NONE} when it succeeded
     */
    void answered(ApiKeys api, long latencyNanos, Errors error);
}

package io.thermocline.rpc.server;

import com.google.protobuf.MessageLite;

/**
 * Decides, before its handler runs, whether a request may run (authorization). Runs on the
 * handler executor; throwing an {@link io.thermocline.common.exception.ApiException} answers the
 * request with it, and the connection goes on.
 */
@FunctionalInterface
public interface RequestGuard {
    RequestGuard NONE = (context, request) -> {};

    void check(RequestContext context, MessageLite request);
}

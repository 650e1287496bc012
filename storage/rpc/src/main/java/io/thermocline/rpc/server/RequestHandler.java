package io.thermocline.rpc.server;

import com.google.protobuf.MessageLite;

import java.util.concurrent.CompletableFuture;

/**
 * Serves one API. Called on the server's handler executor, never on a socket thread; may
 * complete the future later from any thread (a parked fetch completes when data arrives).
 * Completing exceptionally with an {@link io.thermocline.common.exception.ApiException} sends its
 * code and message; any other exception is logged and sent as an unknown server error.
 */
@FunctionalInterface
public interface RequestHandler<Q extends MessageLite, R extends MessageLite> {

    CompletableFuture<R> handle(RequestContext context, Q request);
}

package io.thermocline.rpc.server;

import io.thermocline.rpc.protocol.ApiKeys;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

import java.util.EnumMap;
import java.util.concurrent.CompletableFuture;
import java.util.Map;

/** The APIs a server serves: for each, how to parse its request and who handles it. Immutable. */
public final class RpcService {
    private final Map<ApiKeys, Registration> handlers;
    private final RequestObserver observer;
    private final RequestGuard guard;

    private RpcService(Map<ApiKeys, Registration> handlers, RequestObserver observer, RequestGuard guard) {
        this.handlers = handlers;
        this.observer = observer;
        this.guard = guard;
    }

    public static Builder builder() {
        return new Builder();
    }

    Registration registration(ApiKeys api) {
        return handlers.get(api);
    }

    RequestObserver observer() {
        return observer;
    }

    RequestGuard guard() {
        return guard;
    }

    /** How to parse an API's requests and produce its responses (a message, or a ResponseWithTrailingBytes). */
    record Registration(Parser<? extends MessageLite> parser,
            java.util.function.BiFunction<RequestContext, MessageLite, CompletableFuture<?>> handler) {}

    /** Collects handlers; one per API. */
    public static final class Builder {
        private final Map<ApiKeys, Registration> handlers = new EnumMap<>(ApiKeys.class);
        private RequestObserver observer = RequestObserver.NONE;
        private RequestGuard guard = RequestGuard.NONE;

        /** Who decides whether each request may run (authorization). */
        public Builder guard(RequestGuard value) {
            this.guard = value;
            return this;
        }

        /** Who is told of every answered request (metrics). */
        public Builder observer(RequestObserver value) {
            this.observer = value;
            return this;
        }

        @SuppressWarnings("unchecked")
        public <Q extends MessageLite, R extends MessageLite> Builder register(
                ApiKeys api, Parser<Q> parser, RequestHandler<Q, R> handler) {
            requireTrailingBytes(api, false);
            return add(api, new Registration(parser, (ctx, request) -> handler.handle(ctx, (Q) request)));
        }

        /** For APIs whose responses carry trailing bytes (see {@link ApiKeys#hasTrailingBytes()}). */
        @SuppressWarnings("unchecked")
        public <Q extends MessageLite> Builder registerWithTrailingBytes(
                ApiKeys api, Parser<Q> parser,
                java.util.function.BiFunction<RequestContext, Q, CompletableFuture<ResponseWithTrailingBytes>> handler) {
            requireTrailingBytes(api, true);
            return add(api, new Registration(parser, (ctx, request) -> handler.apply(ctx, (Q) request)));
        }

        private static void requireTrailingBytes(ApiKeys api, boolean expected) {
            if (api.hasTrailingBytes() != expected) {
                throw new IllegalArgumentException("API " + api.displayName() + (expected ? " has no" : " has")
                        + " trailing bytes; register it with " + (expected ? "register" : "registerWithTrailingBytes"));
            }
        }

        private Builder add(ApiKeys api, Registration registration) {
            if (handlers.put(api, registration) != null) {
                throw new IllegalArgumentException("API " + api.displayName() + " is registered twice");
            }
            return this;
        }

        public RpcService build() {
            return new RpcService(new EnumMap<>(handlers), observer, guard);
        }
    }
}

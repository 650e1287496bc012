package io.thermocline.rpc.server;

import io.thermocline.rpc.protocol.ApiKeys;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

import java.util.EnumMap;
import java.util.Map;

/** The APIs a server serves: for each, how to parse its request and who handles it. Immutable. */
public final class RpcService {
    private final Map<ApiKeys, Registration<?, ?>> handlers;

    private RpcService(Map<ApiKeys, Registration<?, ?>> handlers) {
        this.handlers = handlers;
    }

    public static Builder builder() {
        return new Builder();
    }

    Registration<?, ?> registration(ApiKeys api) {
        return handlers.get(api);
    }

    record Registration<Q extends MessageLite, R extends MessageLite>(Parser<Q> parser, RequestHandler<Q, R> handler) {}

    /** Collects handlers; one per API. */
    public static final class Builder {
        private final Map<ApiKeys, Registration<?, ?>> handlers = new EnumMap<>(ApiKeys.class);

        public <Q extends MessageLite, R extends MessageLite> Builder register(
                ApiKeys api, Parser<Q> parser, RequestHandler<Q, R> handler) {
            if (handlers.put(api, new Registration<>(parser, handler)) != null) {
                throw new IllegalArgumentException("API " + api.displayName() + " is registered twice");
            }
            return this;
        }

        public RpcService build() {
            return new RpcService(new EnumMap<>(handlers));
        }
    }
}

package io.thermocline.rpc.client;

import io.thermocline.common.config.Configuration;
import io.thermocline.rpc.messages.SaslAuthenticateRequest;
import io.thermocline.rpc.messages.SaslAuthenticateResponse;
import io.thermocline.rpc.messages.SaslHandshakeRequest;
import io.thermocline.rpc.messages.SaslHandshakeResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.RpcOptions;
import io.thermocline.rpc.security.SaslMechanisms;

import com.google.protobuf.ByteString;

import java.util.concurrent.CompletableFuture;

/** A client's SASL exchange on a new connection: the handshake, then tokens until both sides are done. */
final class SaslExchange {
    private SaslExchange() {}

    static CompletableFuture<Void> run(ServerConnection connection, Configuration conf) {
        String mechanismName = conf.get(RpcOptions.SASL_MECHANISM);
        SaslMechanisms.Client mechanism = SaslMechanisms.client(mechanismName, conf.get(RpcOptions.SASL_USERNAME),
                conf.get(RpcOptions.SASL_PASSWORD));
        return connection.send(ApiKeys.SASL_HANDSHAKE, SaslHandshakeRequest.newBuilder().setMechanism(mechanismName)
                        .build(), SaslHandshakeResponse.parser())
                .thenCompose(handshake -> step(connection, mechanism, mechanism.initialResponse()));
    }

    private static CompletableFuture<Void> step(ServerConnection connection, SaslMechanisms.Client mechanism,
            byte[] token) {
        return connection.send(ApiKeys.SASL_AUTHENTICATE, SaslAuthenticateRequest.newBuilder()
                        .setAuthBytes(ByteString.copyFrom(token)).build(), SaslAuthenticateResponse.parser())
                .thenCompose(response -> {
                    byte[] next = mechanism.evaluate(response.getAuthBytes().toByteArray());
                    if (response.getComplete()) {
                        return mechanism.isComplete() ? CompletableFuture.completedFuture(null)
                                : CompletableFuture.failedFuture(new io.thermocline.common.exception
                                        .AuthenticationException("The server ended the SASL exchange early"));
                    }
                    return step(connection, mechanism, next);
                });
    }
}

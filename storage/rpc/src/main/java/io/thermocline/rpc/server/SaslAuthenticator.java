package io.thermocline.rpc.server;

import io.thermocline.common.exception.AuthenticationException;
import io.thermocline.common.exception.UnsupportedSaslMechanismException;
import io.thermocline.rpc.messages.SaslAuthenticateRequest;
import io.thermocline.rpc.messages.SaslAuthenticateResponse;
import io.thermocline.rpc.messages.SaslHandshakeRequest;
import io.thermocline.rpc.messages.SaslHandshakeResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.security.Audit;
import io.thermocline.rpc.security.Principal;
import io.thermocline.rpc.security.SaslMechanisms;
import io.thermocline.rpc.security.ScramCredential;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gate of a SASL listener: until a connection has authenticated, only ApiVersions and the SASL
 * exchange pass; anything else, an unsupported mechanism or a failed exchange is answered with an
 * error and the connection is closed, before any API runs. Once authenticated, it leaves the
 * pipeline and the connection's principal is the user.
 */
final class SaslAuthenticator extends SimpleChannelInboundHandler<RequestFrame> {
    static final AttributeKey<Principal> PRINCIPAL = AttributeKey.valueOf("thermocline.principal");
    /** The stored credential the connection authenticated against, which it holds on to only while current. */
    static final AttributeKey<ScramCredential> CREDENTIAL = AttributeKey.valueOf("thermocline.credential");

    private final ListenerSecurity security;
    /** Credential lookups and key stretching run here, never on the event loop. */
    private final Executor executor;
    private String mechanismName;
    private SaslMechanisms.Server mechanism;
    private boolean evaluating;
    private boolean refused;

    private final Duration timeout;
    /** Closes the connection if it has not authenticated in time. */
    private ScheduledFuture<?> deadline;

    SaslAuthenticator(ListenerSecurity security, Executor executor, Duration timeout) {
        super(false);
        this.security = security;
        this.executor = executor;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            if (ctx.channel().isActive() && ctx.channel().attr(PRINCIPAL).get() == null) {
                Audit.authenticationFailed(ctx.channel().remoteAddress(), mechanismName == null ? "-" : mechanismName,
                        mechanism == null ? null : mechanism.user(), "not authenticated within " + timeout.toMillis()
                                + " ms (security.sasl.authentication-timeout)");
                ctx.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RequestFrame frame) {
        if (refused) {
            frame.body().release(); // the connection is closing
            return;
        }
        short key = frame.apiKey();
        if (key == ApiKeys.API_VERSIONS.id()) {
            ctx.fireChannelRead(frame); // clients may ask what the server speaks first
            return;
        }
        try {
            if (key == ApiKeys.SASL_HANDSHAKE.id() && mechanism == null) {
                handshake(ctx, frame, SaslHandshakeRequest.parseFrom(frame.body().nioBuffer()).getMechanism());
            } else if (key == ApiKeys.SASL_AUTHENTICATE.id() && mechanism != null && !evaluating) {
                authenticate(ctx, frame, SaslAuthenticateRequest.parseFrom(frame.body().nioBuffer()).getAuthBytes()
                        .toByteArray());
            } else {
                String what = ApiKeys.isKnown(key) ? ApiKeys.forId(key).displayName() : "API key " + key;
                refuse(ctx, frame.requestId(), null, new AuthenticationException(what + " before SASL authentication on"
                        + " a " + security.protocol() + " listener: authenticate first (handshake, then authenticate)"));
            }
        } catch (InvalidProtocolBufferException e) {
            refuse(ctx, frame.requestId(), null, new AuthenticationException("Malformed SASL request: " + e.getMessage()));
        } finally {
            frame.body().release();
        }
    }

    private void handshake(ChannelHandlerContext ctx, RequestFrame frame, String requested) {
        if (!security.offered().contains(requested)) {
            String why = requested.equals(SaslMechanisms.PLAIN) && security.mechanisms().contains(requested)
                    ? "PLAIN is refused on a listener without TLS (the password would cross the network in clear"
                            + " text); use SCRAM-SHA-256 or SASL_SSL"
                    : "SASL mechanism '" + requested + "' is not enabled here";
            refuse(ctx, frame.requestId(), requested, new UnsupportedSaslMechanismException(why + "; this "
                    + security.protocol() + " listener offers " + security.offered()));
            return;
        }
        mechanismName = requested;
        mechanism = SaslMechanisms.server(requested, security.credentials());
        ctx.writeAndFlush(ResponseEncoding.success(ctx.alloc(), frame.requestId(),
                SaslHandshakeResponse.newBuilder().addAllEnabledMechanisms(security.offered()).build()));
    }

    private void authenticate(ChannelHandlerContext ctx, RequestFrame frame, byte[] token) {
        evaluating = true;
        int requestId = frame.requestId();
        CompletableFuture.supplyAsync(() -> mechanism.evaluate(token), executor).whenComplete((reply, error) ->
                ctx.channel().eventLoop().execute(() -> {
                    evaluating = false;
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                        refuse(ctx, requestId, mechanismName, cause instanceof AuthenticationException a ? a
                                : new AuthenticationException("Authentication failed: " + cause.getMessage()));
                        return;
                    }
                    boolean complete = mechanism.isComplete();
                    if (complete) {
                        ctx.channel().attr(PRINCIPAL).set(Principal.user(mechanism.user()));
                        ctx.channel().attr(CREDENTIAL).set(mechanism.credential());
                        ctx.pipeline().remove(this);
                    }
                    ctx.writeAndFlush(ResponseEncoding.success(ctx.alloc(), requestId, SaslAuthenticateResponse
                            .newBuilder().setAuthBytes(ByteString.copyFrom(reply)).setComplete(complete).build()));
                }));
    }

    /** Answers with the error, logs it to the audit log and closes the connection. */
    private void refuse(ChannelHandlerContext ctx, int requestId, String mechanismName, AuthenticationException error) {
        refused = true;
        Audit.authenticationFailed(ctx.channel().remoteAddress(), mechanismName == null ? "-" : mechanismName,
                mechanism == null ? null : mechanism.user(), error.getMessage());
        ctx.writeAndFlush(ResponseEncoding.error(ctx.alloc(), requestId, Errors.forException(error), error.getMessage()))
                .addListener(ChannelFutureListener.CLOSE);
    }
}

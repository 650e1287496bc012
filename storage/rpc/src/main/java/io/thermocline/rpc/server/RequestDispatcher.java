package io.thermocline.rpc.server;

import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.UnsupportedVersionException;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.security.Principal;
import io.thermocline.rpc.security.SecurityProtocol;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Dispatches the requests of one connection to their handlers and writes the responses in
 * request order, however the handlers' futures complete: clients may pipeline. The exceptions are
 * requests that {@linkplain ApiKeys#waitsForData() wait for data}: a fetch parked on an idle
 * bucket must not hold back the responses behind it (another scanner's fetch, a lookup) on a
 * connection that clients share, so it is answered when ready; clients match responses by request
 * id. Response bookkeeping runs on the connection's event loop only.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<RequestFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    /** The sequence of a response that goes out when ready, whatever the order. */
    private static final long UNORDERED = -1;

    private final RpcService service;
    private final Executor handlerExecutor;
    /** Encoded responses (a header buffer, then any file regions or buffers) waiting for their turn. */
    private final Map<Long, List<Object>> completed = new HashMap<>();
    private long nextSequence;
    private long nextToSend;
    /** Set when the connection is gone: responses completing later are dropped, never queued. */
    private boolean inactive;

    private final SecurityProtocol listener;

    RequestDispatcher(RpcService service, Executor handlerExecutor, SecurityProtocol listener) {
        this.service = service;
        this.handlerExecutor = handlerExecutor;
        this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RequestFrame frame) {
        boolean waitsForData = ApiKeys.isKnown(frame.apiKey()) && ApiKeys.forId(frame.apiKey()).waitsForData();
        long sequence = waitsForData ? UNORDERED : nextSequence++;
        long arrived = System.nanoTime();
        CompletableFuture<Object> response;
        try {
            response = dispatch(ctx, frame);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((message, error) ->
                ctx.channel().eventLoop().execute(() -> complete(ctx, sequence, frame, arrived, message, error)));
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<Object> dispatch(ChannelHandlerContext ctx, RequestFrame frame) {
        ApiKeys api = ApiKeys.forId(frame.apiKey());
        if (!api.supports(frame.apiVersion())) {
            throw new UnsupportedVersionException("API " + api.displayName() + " version " + frame.apiVersion()
                    + " is not supported; this server speaks versions " + api.minVersion() + " to " + api.maxVersion());
        }
        RpcService.Registration registration = service.registration(api);
        if (registration == null) {
            throw new UnsupportedVersionException("API " + api.displayName() + " is not served by this server");
        }
        MessageLite request;
        try {
            request = (MessageLite) registration.parser().parseFrom(frame.body().nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRequestException("Malformed " + api.displayName() + " request body: " + e.getMessage());
        }
        Principal principal = ctx.channel().attr(SaslAuthenticator.PRINCIPAL).get();
        RequestContext context = new RequestContext(api, frame.apiVersion(), frame.requestId(),
                ctx.channel().remoteAddress(), principal == null ? Principal.ANONYMOUS : principal, listener);
        return CompletableFuture.supplyAsync(() -> {
            service.guard().check(context, request);
            return registration.handler().apply(context, request);
        }, handlerExecutor)
                .thenCompose(f -> (CompletableFuture<Object>) f);
    }

    private void complete(ChannelHandlerContext ctx, long sequence, RequestFrame frame, long arrived, Object result,
            Throwable error) {
        frame.body().release();
        List<Object> response = null;
        Errors outcome = Errors.NONE;
        if (error == null) {
            try {
                response = result instanceof ResponseWithTrailingBytes
                        ? ResponseEncoding.successWithTrailingBytes(ctx.alloc(), frame.requestId(),
                                (ResponseWithTrailingBytes) result, !listener.tls())
                        : List.of(ResponseEncoding.success(ctx.alloc(), frame.requestId(), (MessageLite) result));
            } catch (RuntimeException e) {
                error = e; // answered as an error below: the connection's later responses must not wait forever
            }
        }
        if (response == null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            Errors code = Errors.forException(cause);
            outcome = code;
            String text = cause.getMessage();
            if (!(cause instanceof ApiException)) {
                LOG.error("Unexpected error serving request {} (API key {}) from {}", frame.requestId(), frame.apiKey(),
                        ctx.channel().remoteAddress(), cause);
                text = "Unexpected server error (" + cause.getClass().getSimpleName() + "); see the server log";
            }
            response = List.of(ResponseEncoding.error(ctx.alloc(), frame.requestId(), code, text));
        }
        service.observer().answered(ApiKeys.isKnown(frame.apiKey()) ? ApiKeys.forId(frame.apiKey()) : null,
                System.nanoTime() - arrived, outcome);
        if (inactive) {
            response.forEach(io.netty.util.ReferenceCountUtil::release);
            return;
        }
        if (sequence == UNORDERED) {
            response.forEach(ctx::write);
            ctx.flush();
            return;
        }
        completed.put(sequence, response);
        boolean wrote = false;
        for (List<Object> next = completed.remove(nextToSend); next != null; next = completed.remove(nextToSend)) {
            next.forEach(ctx::write);
            nextToSend++;
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        completed.values().forEach(parts -> parts.forEach(io.netty.util.ReferenceCountUtil::release));
        completed.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Closing connection from {} after {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

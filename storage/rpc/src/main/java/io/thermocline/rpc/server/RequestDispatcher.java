package io.thermocline.rpc.server;

import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.UnsupportedVersionException;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Dispatches the requests of one connection to their handlers and writes the responses in
 * request order, however the handlers' futures complete: clients may pipeline. Response
 * bookkeeping runs on the connection's event loop only.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<RequestFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final RpcService service;
    private final Executor handlerExecutor;
    private final Map<Long, ByteBuf> completed = new HashMap<>();
    private long nextSequence;
    private long nextToSend;

    RequestDispatcher(RpcService service, Executor handlerExecutor) {
        this.service = service;
        this.handlerExecutor = handlerExecutor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RequestFrame frame) {
        long sequence = nextSequence++;
        CompletableFuture<MessageLite> response;
        try {
            response = dispatch(ctx, frame);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((message, error) ->
                ctx.channel().eventLoop().execute(() -> complete(ctx, sequence, frame, message, error)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private CompletableFuture<MessageLite> dispatch(ChannelHandlerContext ctx, RequestFrame frame) {
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
        RequestContext context = new RequestContext(api, frame.apiVersion(), frame.requestId(), ctx.channel().remoteAddress());
        return CompletableFuture.supplyAsync(() -> registration.handler().handle(context, request), handlerExecutor)
                .thenCompose(f -> (CompletableFuture<MessageLite>) f);
    }

    private void complete(ChannelHandlerContext ctx, long sequence, RequestFrame frame, MessageLite message,
            Throwable error) {
        frame.body().release();
        ByteBuf response;
        if (error == null) {
            response = ResponseEncoding.success(ctx.alloc(), frame.requestId(), message);
        } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            Errors code = Errors.forException(cause);
            String text = cause.getMessage();
            if (!(cause instanceof ApiException)) {
                LOG.error("Unexpected error serving request {} (API key {}) from {}", frame.requestId(), frame.apiKey(),
                        ctx.channel().remoteAddress(), cause);
                text = "Unexpected server error (" + cause.getClass().getSimpleName() + "); see the server log";
            }
            response = ResponseEncoding.error(ctx.alloc(), frame.requestId(), code, text);
        }
        completed.put(sequence, response);
        boolean wrote = false;
        for (ByteBuf next = completed.remove(nextToSend); next != null; next = completed.remove(nextToSend)) {
            ctx.write(next);
            nextToSend++;
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        completed.values().forEach(ByteBuf::release);
        completed.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Closing connection from {} after {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

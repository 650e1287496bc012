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

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
    private final ConnectionLimits limits;
    /** Requests read and not answered yet. */
    private int inFlight;
    /** Requests read while {@link #inFlight} was at the limit, started as answers go out. */
    private final java.util.ArrayDeque<RequestFrame> waiting = new java.util.ArrayDeque<>();
    /** Closes the connection when its client leaves answers unread too long; null while it reads. */
    private ScheduledFuture<?> stalledReader;

    RequestDispatcher(RpcService service, Executor handlerExecutor, SecurityProtocol listener, ConnectionLimits limits) {
        this.service = service;
        this.handlerExecutor = handlerExecutor;
        this.listener = listener;
        this.limits = limits;
    }

    /** Per connection: requests worked on at once, and how long answers may wait unread. */
    record ConnectionLimits(int maxInFlight, Duration stalledReaderTimeout) {}

    /**
     * Reads the connection only while it has room: fewer requests in flight than the limit, and
     * answers going out. A client that stops reading stops being read, and is cut off after the
     * stalled-reader timeout; other connections are unaffected either way.
     */
    private void updateReading(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable && inFlight < limits.maxInFlight());
        if (writable && stalledReader != null) {
            stalledReader.cancel(false);
            stalledReader = null;
        } else if (!writable && stalledReader == null) {
            long timeoutMs = limits.stalledReaderTimeout().toMillis();
            stalledReader = ctx.executor().schedule(() -> {
                if (!ctx.channel().isWritable()) {
                    LOG.info("Closing connection from {}: it read none of its pending answers for {} ms",
                            ctx.channel().remoteAddress(), timeoutMs);
                    ctx.close();
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RequestFrame frame) {
        if (inFlight >= limits.maxInFlight()) {
            // Frames a read had already decoded: they wait here, in order, and reading has stopped.
            waiting.add(frame);
            return;
        }
        start(ctx, frame);
    }

    private void start(ChannelHandlerContext ctx, RequestFrame frame) {
        boolean waitsForData = ApiKeys.isKnown(frame.apiKey()) && ApiKeys.forId(frame.apiKey()).waitsForData();
        long sequence = waitsForData ? UNORDERED : nextSequence++;
        long arrived = System.nanoTime();
        if (++inFlight >= limits.maxInFlight()) {
            updateReading(ctx);
        }
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
        if (inFlight-- >= limits.maxInFlight()) {
            while (inFlight < limits.maxInFlight() && !waiting.isEmpty() && !inactive) {
                start(ctx, waiting.poll());
            }
            updateReading(ctx);
        }
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
        if (stalledReader != null) {
            stalledReader.cancel(false);
        }
        completed.values().forEach(parts -> parts.forEach(io.netty.util.ReferenceCountUtil::release));
        completed.clear();
        waiting.forEach(frame -> frame.body().release());
        waiting.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Closing connection from {} after {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

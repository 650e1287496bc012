package io.thermocline.rpc.client;

import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.NetworkException;
import io.thermocline.common.exception.RequestTimeoutException;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.protocol.ProtobufFrames;
import io.thermocline.rpc.protocol.RpcFrames;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection to a server. Thread-safe: requests may be sent from any thread and are
 * pipelined; each gets its response or fails with a typed exception:
 * {@link NetworkException} when the connection drops (retriable), {@link RequestTimeoutException}
 * after the request timeout (retriable; the request may still have been carried out), or the
 * exception the server sent.
 */
public final class ServerConnection implements AutoCloseable {
    private final Channel channel;
    private final InetSocketAddress address;
    private final long requestTimeoutMs;
    private final AtomicInteger nextRequestId = new AtomicInteger();
    private final Map<Integer, Pending<?>> pending = new ConcurrentHashMap<>();

    ServerConnection(Channel channel, InetSocketAddress address, long requestTimeoutMs) {
        this.channel = channel;
        this.address = address;
        this.requestTimeoutMs = requestTimeoutMs;
        channel.closeFuture().addListener(f -> failAll(new NetworkException("Connection to " + describe() + " closed")));
    }

    /** A response message with the raw bytes that followed it (a heap copy). */
    public record WithTrailingBytes<R>(R message, java.nio.ByteBuffer trailing) {}

    /** Sends a request at the newest version this build speaks. */
    public <R extends MessageLite> CompletableFuture<R> send(ApiKeys api, MessageLite request, Parser<R> parser) {
        return send(api, api.maxVersion(), request, parser);
    }

    public <R extends MessageLite> CompletableFuture<R> send(
            ApiKeys api, short version, MessageLite request, Parser<R> parser) {
        return send(api, version, request, body -> {
            if (api.hasTrailingBytes()) {
                int size = body.readInt();
                return parser.parseFrom(body.nioBuffer(body.readerIndex(), size));
            }
            return parser.parseFrom(body.nioBuffer());
        });
    }

    /** For APIs with trailing bytes: the message and the bytes after it. */
    public <R extends MessageLite> CompletableFuture<WithTrailingBytes<R>> sendWithTrailingBytes(
            ApiKeys api, MessageLite request, Parser<R> parser) {
        if (!api.hasTrailingBytes()) {
            throw new IllegalArgumentException("API " + api.displayName() + " has no trailing bytes");
        }
        return send(api, api.maxVersion(), request, body -> {
            int size = body.readInt();
            R message = parser.parseFrom(body.nioBuffer(body.readerIndex(), size));
            body.skipBytes(size);
            java.nio.ByteBuffer trailing = java.nio.ByteBuffer.allocate(body.readableBytes());
            body.readBytes(trailing);
            return new WithTrailingBytes<>(message, trailing.flip());
        });
    }

    /** Decodes a successful response body. */
    @FunctionalInterface
    private interface BodyDecoder<R> {
        R decode(ByteBuf body) throws InvalidProtocolBufferException;
    }

    private <R> CompletableFuture<R> send(ApiKeys api, short version, MessageLite request, BodyDecoder<R> decoder) {
        int requestId = nextRequestId.getAndIncrement();
        Pending<R> waiting = new Pending<>(api, decoder);
        pending.put(requestId, waiting);
        if (!channel.isActive()) {
            failPending(requestId, new NetworkException("Connection to " + describe() + " is closed"));
            return waiting.future;
        }
        waiting.timeout = channel.eventLoop().schedule(
                () -> failPending(requestId, new RequestTimeoutException(api.displayName() + " request " + requestId
                        + " to " + describe() + " got no response within " + requestTimeoutMs + " ms")),
                requestTimeoutMs, TimeUnit.MILLISECONDS);
        channel.writeAndFlush(encode(api, version, requestId, request)).addListener(f -> {
            if (!f.isSuccess()) {
                failPending(requestId, new NetworkException("Cannot send " + api.displayName() + " request to "
                        + describe() + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        return waiting.future;
    }

    private ByteBuf encode(ApiKeys api, short version, int requestId, MessageLite request) {
        int size = request.getSerializedSize();
        ByteBuf buf = channel.alloc().buffer(RpcFrames.LENGTH_FIELD_SIZE + RpcFrames.REQUEST_HEADER_SIZE + size);
        buf.writeInt(RpcFrames.REQUEST_HEADER_SIZE + size);
        buf.writeShort(api.id());
        buf.writeShort(version);
        buf.writeInt(requestId);
        try {
            ProtobufFrames.write(buf, request, size);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        return buf;
    }

    public boolean isActive() {
        return channel.isActive();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Requests sent and not yet answered. */
    public int inFlight() {
        return pending.size();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    ChannelHandler responseHandler() {
        return new SimpleChannelInboundHandler<ByteBuf>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                if (frame.readableBytes() < RpcFrames.RESPONSE_HEADER_SIZE) {
                    ctx.close();
                    return;
                }
                int requestId = frame.readInt();
                Errors error = Errors.forCode(frame.readShort());
                Pending<?> waiting = pending.remove(requestId);
                if (waiting != null) {
                    waiting.complete(error, frame);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failAll(new NetworkException("Connection to " + describe() + " failed: " + cause.getMessage(), cause));
                ctx.close();
            }
        };
    }

    private void failPending(int requestId, RuntimeException e) {
        Pending<?> waiting = pending.remove(requestId);
        if (waiting != null) {
            waiting.fail(e);
        }
    }

    private void failAll(RuntimeException e) {
        for (Integer requestId : pending.keySet()) {
            failPending(requestId, e);
        }
    }

    private String describe() {
        return address.getHostString() + ":" + address.getPort();
    }

    /** A request waiting for its response. */
    private static final class Pending<R> {
        final ApiKeys api;
        final BodyDecoder<R> decoder;
        final CompletableFuture<R> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        Pending(ApiKeys api, BodyDecoder<R> decoder) {
            this.api = api;
            this.decoder = decoder;
        }

        void complete(Errors error, ByteBuf body) {
            cancelTimeout();
            if (error != Errors.NONE) {
                future.completeExceptionally(error.exception(body.toString(StandardCharsets.UTF_8)));
                return;
            }
            try {
                future.complete(decoder.decode(body));
            } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
                future.completeExceptionally(new InvalidRequestException(
                        "Malformed " + api.displayName() + " response: " + e.getMessage()));
            }
        }

        void fail(RuntimeException e) {
            cancelTimeout();
            future.completeExceptionally(e);
        }

        private void cancelTimeout() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}

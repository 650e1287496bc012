package io.thermocline.rpc.server;

import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.protocol.RpcFrames;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Cuts the byte stream into request frames. A frame over the size limit is answered with an
 * error naming both sizes, then the connection closes (the stream cannot be trusted past it);
 * a length too small to hold a header closes the connection at once. Neither affects other
 * connections.
 */
final class RequestFrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(RequestFrameDecoder.class);

    /** Largest frame of a connection to a SASL listener before it authenticates: handshakes are small. */
    static final int MAX_FRAME_BEFORE_AUTHENTICATION = 64 * 1024;

    private final int maxFrameSize;
    private boolean closing;

    RequestFrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /** The limit now: small until the connection authenticated, if it must. */
    private int limit(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SaslAuthenticator.class) != null ? Math.min(maxFrameSize, MAX_FRAME_BEFORE_AUTHENTICATION)
                : maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (closing) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < RpcFrames.LENGTH_FIELD_SIZE) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < RpcFrames.REQUEST_HEADER_SIZE) {
            LOG.debug("Closing connection from {}: frame length {} cannot hold a request header",
                    ctx.channel().remoteAddress(), length);
            close(ctx, in);
            return;
        }
        int limit = limit(ctx);
        if (length > limit) {
            if (in.readableBytes() < RpcFrames.LENGTH_FIELD_SIZE + RpcFrames.REQUEST_HEADER_SIZE) {
                return; // wait for the header to name the request in the error
            }
            int requestId = in.getInt(in.readerIndex() + RpcFrames.LENGTH_FIELD_SIZE + 4);
            String message = limit < maxFrameSize
                    ? "Request frame of " + length + " bytes before SASL authentication exceeds the " + limit
                            + " bytes allowed until then; closing the connection"
                    : "Request frame of " + length + " bytes exceeds rpc.max-frame-size of " + maxFrameSize
                            + " bytes; closing the connection";
            LOG.info("{} from {}", message, ctx.channel().remoteAddress());
            ByteBuf response = ResponseEncoding.error(ctx.alloc(), requestId, Errors.INVALID_REQUEST, message);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            closing = true;
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < RpcFrames.LENGTH_FIELD_SIZE + length) {
            return;
        }
        in.skipBytes(RpcFrames.LENGTH_FIELD_SIZE);
        short apiKey = in.readShort();
        short apiVersion = in.readShort();
        int requestId = in.readInt();
        ByteBuf body = in.readRetainedSlice(length - RpcFrames.REQUEST_HEADER_SIZE);
        out.add(new RequestFrame(apiKey, apiVersion, requestId, body));
    }

    private void close(ChannelHandlerContext ctx, ByteBuf in) {
        closing = true;
        in.skipBytes(in.readableBytes());
        ctx.close();
    }
}

package io.thermocline.rpc.server;

import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.protocol.ProtobufFrames;
import io.thermocline.rpc.protocol.RpcFrames;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/** Writes response frames. */
final class ResponseEncoding {
    private ResponseEncoding() {}

    static ByteBuf success(ByteBufAllocator alloc, int requestId, MessageLite response) {
        int size = response.getSerializedSize();
        ByteBuf buf = alloc.buffer(RpcFrames.LENGTH_FIELD_SIZE + RpcFrames.RESPONSE_HEADER_SIZE + size);
        buf.writeInt(RpcFrames.RESPONSE_HEADER_SIZE + size);
        buf.writeInt(requestId);
        buf.writeShort(Errors.NONE.code());
        try {
            ProtobufFrames.write(buf, response, size);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        return buf;
    }

    static ByteBuf error(ByteBufAllocator alloc, int requestId, Errors error, String message) {
        byte[] text = (message == null ? "" : message).getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(RpcFrames.LENGTH_FIELD_SIZE + RpcFrames.RESPONSE_HEADER_SIZE + text.length);
        buf.writeInt(RpcFrames.RESPONSE_HEADER_SIZE + text.length);
        buf.writeInt(requestId);
        buf.writeShort(error.code());
        buf.writeBytes(text);
        return buf;
    }
}

package io.thermocline.rpc.server;

import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.protocol.ProtobufFrames;
import io.thermocline.rpc.protocol.RpcFrames;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.rpc.protocol.TrailingBytes;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * Header and message in one buffer, then each trailing part: file slices as zero-copy regions,
     * or, with {@code zeroCopy} off (TLS must see the bytes to encrypt them), read into buffers.
     */
    static List<Object> successWithTrailingBytes(ByteBufAllocator alloc, int requestId, ResponseWithTrailingBytes response,
            boolean zeroCopy) {
        MessageLite message = response.message();
        int size = message.getSerializedSize();
        long trailing = 0;
        for (TrailingBytes part : response.trailing()) {
            trailing += part.length();
        }
        long frameLength = RpcFrames.RESPONSE_HEADER_SIZE + 4L + size + trailing;
        if (frameLength > Integer.MAX_VALUE) {
            throw new InvalidRequestException("Response of " + frameLength + " bytes exceeds the 2 GiB frame limit");
        }
        ByteBuf head = alloc.buffer(RpcFrames.LENGTH_FIELD_SIZE + RpcFrames.RESPONSE_HEADER_SIZE + 4 + size);
        head.writeInt((int) frameLength);
        head.writeInt(requestId);
        head.writeShort(Errors.NONE.code());
        head.writeInt(size);
        try {
            ProtobufFrames.write(head, message, size);
        } catch (RuntimeException e) {
            head.release();
            throw e;
        }
        List<Object> parts = new ArrayList<>(1 + response.trailing().size());
        parts.add(head);
        for (TrailingBytes part : response.trailing()) {
            if (part instanceof TrailingBytes.FileSlice slice && zeroCopy) {
                parts.add(new BorrowedFileRegion(slice.channel(), slice.position(), slice.length()));
            } else if (part instanceof TrailingBytes.FileSlice slice) {
                parts.add(read(alloc, slice, parts));
            } else {
                parts.add(Unpooled.wrappedBuffer(((TrailingBytes.Buffer) part).bytes()));
            }
        }
        return parts;
    }

    /** A file slice read into a buffer; on failure, releases what {@code parts} holds so far. */
    private static ByteBuf read(ByteBufAllocator alloc, TrailingBytes.FileSlice slice, List<Object> parts) {
        ByteBuf buf = alloc.buffer((int) slice.length());
        try {
            long position = slice.position();
            while (buf.writerIndex() < slice.length()) {
                int read = buf.writeBytes(slice.channel(), position, (int) slice.length() - buf.writerIndex());
                if (read < 0) {
                    throw new java.io.EOFException("The log segment ends before the bytes to send");
                }
                position += read;
            }
            return buf;
        } catch (java.io.IOException e) {
            buf.release();
            parts.forEach(io.netty.util.ReferenceCountUtil::release);
            throw new java.io.UncheckedIOException("Cannot read the log bytes to send: " + e.getMessage(), e);
        }
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

package io.thermocline.rpc.protocol;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes protobuf messages straight into Netty buffers, without an intermediate byte array. */
public final class ProtobufFrames {
    private ProtobufFrames() {}

    /** Writes {@code message} at the buffer's writer index, which must have room for it. */
    public static void write(ByteBuf buf, MessageLite message, int size) {
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buf.nioBuffer(buf.writerIndex(), size));
            message.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.writerIndex(buf.writerIndex() + size);
    }
}

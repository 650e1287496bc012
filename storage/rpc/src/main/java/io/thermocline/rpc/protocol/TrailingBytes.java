package io.thermocline.rpc.protocol;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Raw bytes sent after a response message: a slice of a file (sent zero-copy) or a buffer. */
public sealed interface TrailingBytes {

    int length();

    /** Bytes of a file the sender keeps open; the RPC layer never closes the channel. */
    record FileSlice(FileChannel channel, long position, int length) implements TrailingBytes {}

    /** Bytes in memory, from the buffer's position to its limit. */
    record Buffer(ByteBuffer bytes) implements TrailingBytes {
        @Override
        public int length() {
            return bytes.remaining();
        }
    }
}

package io.thermocline.common.internal.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/** A reusable in-memory channel over a growing heap array: the builder's scratch space. */
final class GrowableByteChannel implements WritableByteChannel {
    private byte[] array;
    private int position;

    GrowableByteChannel(int initialCapacity) {
        this.array = new byte[Math.max(64, initialCapacity)];
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        ensureCapacity(position + n);
        src.get(array, position, n);
        position += n;
        return n;
    }

    void skip(int n) {
        ensureCapacity(position + n);
        position += n;
    }

    void reset() {
        position = 0;
    }

    int position() {
        return position;
    }

    /** A little-endian view of the written bytes for in-place header writes. */
    ByteBuffer written() {
        return ByteBuffer.wrap(array, 0, position).order(ByteOrder.LITTLE_ENDIAN);
    }

    byte[] array() {
        return array;
    }

    byte[] copyOfWritten() {
        return Arrays.copyOf(array, position);
    }

    private void ensureCapacity(int needed) {
        if (needed > array.length) {
            array = Arrays.copyOf(array, Math.max(needed, array.length * 2));
        }
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {}
}

package io.thermocline.common.row;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A STRING value held as UTF-8 bytes, decoded to a Java string only when asked, so that copying
 * strings between Arrow vectors, keys and the wire never pays for decoding. Immutable. Ordered by
 * unsigned bytes, which for UTF-8 is code point order.
 */
public final class BinaryString implements Comparable<BinaryString> {
    private final byte[] bytes;
    private String decoded;

    private BinaryString(byte[] bytes, String decoded) {
        this.bytes = bytes;
        this.decoded = decoded;
    }

    public static BinaryString fromString(String value) {
        return value == null ? null : new BinaryString(value.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Wraps UTF-8 bytes without copying; the caller must not change them afterwards. */
    public static BinaryString fromBytes(byte[] utf8) {
        return new BinaryString(utf8, null);
    }

    /** The UTF-8 bytes; do not change them. */
    public byte[] toBytes() {
        return bytes;
    }

    public int byteLength() {
        return bytes.length;
    }

    @Override
    public String toString() {
        String s = decoded;
        if (s == null) {
            s = new String(bytes, StandardCharsets.UTF_8);
            decoded = s;
        }
        return s;
    }

    @Override
    public int compareTo(BinaryString other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryString && Arrays.equals(bytes, ((BinaryString) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}

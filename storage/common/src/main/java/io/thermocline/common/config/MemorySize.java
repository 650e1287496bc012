package io.thermocline.common.config;

import io.thermocline.common.exception.InvalidConfigException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A number of bytes, written as {@code 1024}, {@code 64 kb}, {@code 1mb}, {@code 2 GB}. Immutable. */
public final class MemorySize implements Comparable<MemorySize> {
    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+)\\s*([kmgt]?i?b?)?\\s*", Pattern.CASE_INSENSITIVE);

    private final long bytes;

    private MemorySize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("A memory size must not be negative, got " + bytes);
        }
        this.bytes = bytes;
    }

    public static MemorySize ofBytes(long bytes) {
        return new MemorySize(bytes);
    }

    public static MemorySize ofMebiBytes(long mebiBytes) {
        return new MemorySize(Math.multiplyExact(mebiBytes, 1L << 20));
    }

    public static MemorySize parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new InvalidConfigException("Cannot parse memory size '" + text + "': expected a number with an"
                    + " optional unit b, kb, mb, gb or tb");
        }
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = unit.isEmpty() || unit.equals("b") ? 0 : 10 * ("kmgt".indexOf(unit.charAt(0)) + 1);
        try {
            return new MemorySize(Math.multiplyExact(number, 1L << shift));
        } catch (ArithmeticException e) {
            throw new InvalidConfigException("Memory size '" + text + "' overflows a long");
        }
    }

    public long bytes() {
        return bytes;
    }

    @Override
    public int compareTo(MemorySize o) {
        return Long.compare(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemorySize && ((MemorySize) o).bytes == bytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytes);
    }

    @Override
    public String toString() {
        for (String unit : new String[] {"tb", "gb", "mb", "kb"}) {
            int shift = 10 * ("kmgt".indexOf(unit.charAt(0)) + 1);
            if (bytes != 0 && bytes % (1L << shift) == 0) {
                return (bytes >> shift) + " " + unit;
            }
        }
        return bytes + " b";
    }
}

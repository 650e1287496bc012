package io.thermocline.benchmarks.peers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark row, the same for every system: 4 BIGINT, 4 INT, 2 DOUBLE and 10 STRING columns
 * of 90 characters (about 1 KiB), deterministic in its index. Column 0 carries a timestamp in the
 * latency scenario. Kafka gets it as bytes in a fixed layout ({@link #encode}).
 */
public final class BenchRow {
    public static final int LONGS = 4;
    public static final int INTS = 4;
    public static final int DOUBLES = 2;
    public static final int STRINGS = 10;
    public static final int COLUMNS = LONGS + INTS + DOUBLES + STRINGS;
    public static final int STRING_LENGTH = 90;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private BenchRow() {}

    public static long longAt(long index, int column) {
        return index * 31 + column;
    }

    public static int intAt(long index, int column) {
        return (int) (index * 7 + column);
    }

    public static double doubleAt(long index, int column) {
        return index * 0.5 + column;
    }

    public static String stringAt(long index, int column) {
        StringBuilder text = new StringBuilder(STRING_LENGTH);
        int start = (int) ((index + column) % ALPHABET.length());
        for (int i = 0; i < STRING_LENGTH; i++) {
            text.append(ALPHABET.charAt((start + i) % ALPHABET.length()));
        }
        return text.toString();
    }

    /** The row in a fixed binary layout: longs, ints, doubles, then each string with a 2-byte length. */
    public static byte[] encode(long index, long firstLong) {
        ByteBuffer buffer = ByteBuffer.allocate(LONGS * 8 + INTS * 4 + DOUBLES * 8 + STRINGS * (2 + STRING_LENGTH));
        buffer.putLong(firstLong);
        for (int c = 1; c < LONGS; c++) {
            buffer.putLong(longAt(index, c));
        }
        for (int c = 0; c < INTS; c++) {
            buffer.putInt(intAt(index, c));
        }
        for (int c = 0; c < DOUBLES; c++) {
            buffer.putDouble(doubleAt(index, c));
        }
        for (int c = 0; c < STRINGS; c++) {
            byte[] text = stringAt(index, c).getBytes(StandardCharsets.US_ASCII);
            buffer.putShort((short) text.length).put(text);
        }
        return buffer.array();
    }

    /** The first long of an encoded row (the latency scenario's timestamp). */
    public static long firstLong(byte[] encoded) {
        return ByteBuffer.wrap(encoded).getLong();
    }

    public static String columnName(int column) {
        return "c" + column;
    }
}

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
    /** The projection scenario's two columns: the first BIGINT and the first STRING. */
    public static final int[] PROJECTION = {0, LONGS + INTS + DOUBLES};
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /** A column's type, in the order of the columns. */
    public enum Kind { BIGINT, INT, DOUBLE, STRING }

    private BenchRow() {}

    public static Kind kind(int column) {
        return column < LONGS ? Kind.BIGINT : column < LONGS + INTS ? Kind.INT
                : column < LONGS + INTS + DOUBLES ? Kind.DOUBLE : Kind.STRING;
    }

    /**
     * A column's value in row {@code index}: Long, Integer, Double or String; column 0 is
     * {@code firstLong} (the row's key, or its send time in the latency scenario).
     */
    public static Object value(long index, int column, long firstLong) {
        return switch (kind(column)) {
            case BIGINT -> column == 0 ? firstLong : longAt(index, column);
            case INT -> intAt(index, column - LONGS);
            case DOUBLE -> doubleAt(index, column - LONGS - INTS);
            case STRING -> stringAt(index, column - LONGS - INTS - DOUBLES);
        };
    }

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
        for (int column = 0; column < COLUMNS; column++) {
            Object value = value(index, column, firstLong);
            switch (kind(column)) {
                case BIGINT -> buffer.putLong((Long) value);
                case INT -> buffer.putInt((Integer) value);
                case DOUBLE -> buffer.putDouble((Double) value);
                case STRING -> {
                    byte[] text = ((String) value).getBytes(StandardCharsets.US_ASCII);
                    buffer.putShort((short) text.length).put(text);
                }
            }
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

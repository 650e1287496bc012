package io.thermocline.common.row;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A TIMESTAMP value: a date-time without time zone, held as milliseconds since 1970-01-01T00:00
 * plus nanoseconds within that millisecond (0 to 999,999). Immutable.
 */
public final class TimestampNtz implements Comparable<TimestampNtz> {
    private final long millis;
    private final int nanoOfMillisecond;

    private TimestampNtz(long millis, int nanoOfMillisecond) {
        if (nanoOfMillisecond < 0 || nanoOfMillisecond > 999_999) {
            throw new IllegalArgumentException("nanoOfMillisecond must be 0..999999, got " + nanoOfMillisecond);
        }
        this.millis = millis;
        this.nanoOfMillisecond = nanoOfMillisecond;
    }

    public static TimestampNtz fromMillis(long millis, int nanoOfMillisecond) {
        return new TimestampNtz(millis, nanoOfMillisecond);
    }

    public static TimestampNtz fromMillis(long millis) {
        return new TimestampNtz(millis, 0);
    }

    public static TimestampNtz fromLocalDateTime(LocalDateTime dateTime) {
        long seconds = dateTime.toEpochSecond(ZoneOffset.UTC);
        int nanos = dateTime.getNano();
        return new TimestampNtz(seconds * 1000 + nanos / 1_000_000, nanos % 1_000_000);
    }

    public long millis() {
        return millis;
    }

    public int nanoOfMillisecond() {
        return nanoOfMillisecond;
    }

    public LocalDateTime toLocalDateTime() {
        long seconds = Math.floorDiv(millis, 1000);
        int nanos = (int) Math.floorMod(millis, 1000) * 1_000_000 + nanoOfMillisecond;
        return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    }

    @Override
    public int compareTo(TimestampNtz o) {
        int c = Long.compare(millis, o.millis);
        return c != 0 ? c : Integer.compare(nanoOfMillisecond, o.nanoOfMillisecond);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimestampNtz
                && millis == ((TimestampNtz) o).millis
                && nanoOfMillisecond == ((TimestampNtz) o).nanoOfMillisecond;
    }

    @Override
    public int hashCode() {
        return Objects.hash(millis, nanoOfMillisecond);
    }

    @Override
    public String toString() {
        return toLocalDateTime().toString();
    }
}

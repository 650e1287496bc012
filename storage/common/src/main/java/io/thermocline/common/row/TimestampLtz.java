package io.thermocline.common.row;

import java.time.Instant;
import java.util.Objects;

/**
 * A TIMESTAMP_LTZ value: an instant, held as epoch milliseconds plus nanoseconds within that
 * millisecond (0 to 999,999). Immutable.
 */
public final class TimestampLtz implements Comparable<TimestampLtz> {
    private final long epochMillis;
    private final int nanoOfMillisecond;

    private TimestampLtz(long epochMillis, int nanoOfMillisecond) {
        if (nanoOfMillisecond < 0 || nanoOfMillisecond > 999_999) {
            throw new IllegalArgumentException("nanoOfMillisecond must be 0..999999, got " + nanoOfMillisecond);
        }
        this.epochMillis = epochMillis;
        this.nanoOfMillisecond = nanoOfMillisecond;
    }

    public static TimestampLtz fromEpochMillis(long epochMillis, int nanoOfMillisecond) {
        return new TimestampLtz(epochMillis, nanoOfMillisecond);
    }

    public static TimestampLtz fromEpochMillis(long epochMillis) {
        return new TimestampLtz(epochMillis, 0);
    }

    public static TimestampLtz fromInstant(Instant instant) {
        int nanos = instant.getNano();
        return new TimestampLtz(instant.getEpochSecond() * 1000 + nanos / 1_000_000, nanos % 1_000_000);
    }

    public long epochMillis() {
        return epochMillis;
    }

    public int nanoOfMillisecond() {
        return nanoOfMillisecond;
    }

    public Instant toInstant() {
        return Instant.ofEpochMilli(epochMillis).plusNanos(nanoOfMillisecond);
    }

    @Override
    public int compareTo(TimestampLtz o) {
        int c = Long.compare(epochMillis, o.epochMillis);
        return c != 0 ? c : Integer.compare(nanoOfMillisecond, o.nanoOfMillisecond);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimestampLtz
                && epochMillis == ((TimestampLtz) o).epochMillis
                && nanoOfMillisecond == ((TimestampLtz) o).nanoOfMillisecond;
    }

    @Override
    public int hashCode() {
        return Objects.hash(epochMillis, nanoOfMillisecond);
    }

    @Override
    public String toString() {
        return toInstant().toString();
    }
}

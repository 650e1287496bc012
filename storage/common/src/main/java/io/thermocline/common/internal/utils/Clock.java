package io.thermocline.common.internal.utils;

/**
 * Time as seen by time-based logic (roll, retention, flush, freshness), injected so that tests
 * move it by hand instead of sleeping. Implementations are thread-safe.
 */
public interface Clock {

    /** Wall-clock epoch milliseconds. */
    long milliseconds();

    /** A monotonic reading for measuring elapsed time. */
    long nanoseconds();

    Clock SYSTEM = new Clock() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };
}

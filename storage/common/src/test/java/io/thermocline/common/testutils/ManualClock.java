package io.thermocline.common.testutils;

import io.thermocline.common.internal.utils.Clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to. Thread-safe. */
public final class ManualClock implements Clock {
    private final AtomicLong nanos;

    public ManualClock(long startMillis) {
        this.nanos = new AtomicLong(startMillis * 1_000_000L);
    }

    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Override
    public long milliseconds() {
        return nanos.get() / 1_000_000L;
    }

    @Override
    public long nanoseconds() {
        return nanos.get();
    }
}

package io.thermocline.common.testutils;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for conditions in tests, instead of bare sleeps. */
public final class TestWaits {
    private TestWaits() {}

    /** Waits for a condition, failing with {@code what} after {@code timeout}. */
    public static void waitUntil(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting until " + what, e);
            }
        }
    }
}

package io.thermocline.common.internal.arrow;

/** Converts timestamps between (millis, nano-of-milli) and the Arrow unit chosen by precision. */
final class ArrowTimestamps {
    private ArrowTimestamps() {}

    static long toUnits(long millis, int nanoOfMillisecond, int precision) {
        if (precision <= 3) {
            return millis;
        } else if (precision <= 6) {
            return millis * 1_000 + nanoOfMillisecond / 1_000;
        }
        return millis * 1_000_000 + nanoOfMillisecond;
    }

    static long millis(long units, int precision) {
        if (precision <= 3) {
            return units;
        } else if (precision <= 6) {
            return Math.floorDiv(units, 1_000L);
        }
        return Math.floorDiv(units, 1_000_000L);
    }

    static int nanoOfMillisecond(long units, int precision) {
        if (precision <= 3) {
            return 0;
        } else if (precision <= 6) {
            return (int) Math.floorMod(units, 1_000L) * 1_000;
        }
        return (int) Math.floorMod(units, 1_000_000L);
    }
}

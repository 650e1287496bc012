package io.thermocline.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZonedDateTime;

class AutoPartitionTimeUnitTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 23, 14, 37, 5, 0, BERLIN);

    @Test
    void periodsFormatAndParseBack() {
        assertThat(format(AutoPartitionTimeUnit.HOUR, 0)).isEqualTo("2026112314");
        assertThat(format(AutoPartitionTimeUnit.HOUR, 10)).isEqualTo("2026112400");
        assertThat(format(AutoPartitionTimeUnit.DAY, 8)).isEqualTo("20261201");
        assertThat(format(AutoPartitionTimeUnit.MONTH, 2)).isEqualTo("202701");
        assertThat(format(AutoPartitionTimeUnit.QUARTER, 0)).isEqualTo("2026Q4");
        assertThat(format(AutoPartitionTimeUnit.QUARTER, -3)).isEqualTo("2026Q1");
        assertThat(format(AutoPartitionTimeUnit.YEAR, -1)).isEqualTo("2025");
        for (AutoPartitionTimeUnit unit : AutoPartitionTimeUnit.values()) {
            for (int i = -30; i <= 30; i++) {
                ZonedDateTime start = unit.plus(unit.periodStart(NOW), i);
                assertThat(unit.parse(unit.format(start), BERLIN)).contains(start);
            }
        }
    }

    @Test
    void valuesNotOfTheUnitsFormAreNotPeriods() {
        assertThat(AutoPartitionTimeUnit.DAY.parse("20261131", BERLIN)).isEmpty();
        assertThat(AutoPartitionTimeUnit.DAY.parse("2026-11-23", BERLIN)).isEmpty();
        assertThat(AutoPartitionTimeUnit.QUARTER.parse("2026Q5", BERLIN)).isEmpty();
        assertThat(AutoPartitionTimeUnit.HOUR.parse("2026112324", BERLIN)).isEmpty();
        assertThat(AutoPartitionTimeUnit.MONTH.parse("backfill", BERLIN)).isEmpty();
    }

    private static String format(AutoPartitionTimeUnit unit, int periods) {
        return unit.format(unit.plus(unit.periodStart(NOW), periods));
    }
}

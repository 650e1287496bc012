package io.thermocline.common.config;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The period of automatic time partitions and the text form of their values: {@code 2026112314}
 * (HOUR), {@code 20261123} (DAY), {@code 202611} (MONTH), {@code 2026Q4} (QUARTER), {@code 2026}
 * (YEAR). Values sort as text in time order.
 */
public enum AutoPartitionTimeUnit {
    HOUR,
    DAY,
    MONTH,
    QUARTER,
    YEAR;

    private static final DateTimeFormatter HOUR_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHH");
    private static final DateTimeFormatter DAY_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd");

    /** The start of the period holding {@code time}. */
    public ZonedDateTime periodStart(ZonedDateTime time) {
        switch (this) {
            case HOUR:
                return time.truncatedTo(ChronoUnit.HOURS);
            case DAY:
                return time.truncatedTo(ChronoUnit.DAYS);
            case MONTH:
                return time.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case QUARTER:
                return time.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1)
                        .withMonth((time.getMonthValue() - 1) / 3 * 3 + 1);
            default:
                return time.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
        }
    }

    /** The start of the period {@code periods} after the one starting at {@code periodStart}. */
    public ZonedDateTime plus(ZonedDateTime periodStart, long periods) {
        switch (this) {
            case HOUR:
                return periodStart.plusHours(periods);
            case DAY:
                return periodStart.plusDays(periods);
            case MONTH:
                return periodStart.plusMonths(periods);
            case QUARTER:
                return periodStart.plusMonths(3 * periods);
            default:
                return periodStart.plusYears(periods);
        }
    }

    /** The partition value of the period starting at {@code periodStart}. */
    public String format(ZonedDateTime periodStart) {
        switch (this) {
            case HOUR:
                return HOUR_FORMAT.format(periodStart);
            case DAY:
                return DAY_FORMAT.format(periodStart);
            case MONTH:
                return String.format("%04d%02d", periodStart.getYear(), periodStart.getMonthValue());
            case QUARTER:
                return String.format("%04dQ%d", periodStart.getYear(), (periodStart.getMonthValue() - 1) / 3 + 1);
            default:
                return String.format("%04d", periodStart.getYear());
        }
    }

    /** The start of the period a value names; empty when the value is not of this unit's form. */
    public Optional<ZonedDateTime> parse(String value, ZoneId zone) {
        try {
            ZonedDateTime start;
            switch (this) {
                case HOUR:
                    if (value.length() != 10) {
                        return Optional.empty();
                    }
                    start = ZonedDateTime.of(Integer.parseInt(value.substring(0, 4)), Integer.parseInt(value.substring(4, 6)),
                            Integer.parseInt(value.substring(6, 8)), Integer.parseInt(value.substring(8, 10)), 0, 0, 0, zone);
                    break;
                case DAY:
                    if (value.length() != 8) {
                        return Optional.empty();
                    }
                    start = java.time.LocalDate.parse(value, DAY_FORMAT).atStartOfDay(zone);
                    break;
                case MONTH:
                    if (value.length() != 6) {
                        return Optional.empty();
                    }
                    start = ZonedDateTime.of(Integer.parseInt(value.substring(0, 4)), Integer.parseInt(value.substring(4)),
                            1, 0, 0, 0, 0, zone);
                    break;
                case QUARTER:
                    if (value.length() != 6 || value.charAt(4) != 'Q') {
                        return Optional.empty();
                    }
                    int quarter = Integer.parseInt(value.substring(5));
                    if (quarter < 1 || quarter > 4) {
                        return Optional.empty();
                    }
                    start = ZonedDateTime.of(Integer.parseInt(value.substring(0, 4)), (quarter - 1) * 3 + 1, 1, 0, 0, 0, 0, zone);
                    break;
                default:
                    if (value.length() != 4) {
                        return Optional.empty();
                    }
                    start = ZonedDateTime.of(Integer.parseInt(value), 1, 1, 0, 0, 0, 0, zone);
            }
            // Reject values that parse but are not canonical, e.g. a DAY value '20261131'.
            return format(start).equals(value) ? Optional.of(start) : Optional.empty();
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}

package io.thermocline.common.types;

import java.util.Objects;

/**
 * A timestamp with fractional-second {@code precision} 0 to 9: either without time zone
 * ({@code TIMESTAMP(p)}, a wall-clock date-time) or with local time zone
 * ({@code TIMESTAMP_LTZ(p)}, an instant shown in the session's zone).
 */
public final class TimestampType extends DataType {
    private static final long serialVersionUID = 1L;

    public static final int MAX_PRECISION = 9;
    public static final int DEFAULT_PRECISION = 6;

    private final int precision;

    public TimestampType(boolean localZoned, int precision, boolean nullable) {
        super(
                localZoned
                        ? DataTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE
                        : DataTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE,
                nullable);
        if (precision < 0 || precision > MAX_PRECISION) {
            throw new IllegalArgumentException(
                    "TIMESTAMP precision must be between 0 and " + MAX_PRECISION + ", got " + precision);
        }
        this.precision = precision;
    }

    public int precision() {
        return precision;
    }

    public boolean isLocalZoned() {
        return root() == DataTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
    }

    @Override
    public DataType copy(boolean nullable) {
        return new TimestampType(isLocalZoned(), precision, nullable);
    }

    @Override
    public String asSummaryString() {
        return (isLocalZoned() ? "TIMESTAMP_LTZ(" : "TIMESTAMP(") + precision + ")";
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && precision == ((TimestampType) o).precision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), precision);
    }
}

package io.thermocline.common.types;

import java.util.Objects;

/** A fixed-point number with {@code precision} digits, {@code scale} of them after the point. */
public final class DecimalType extends DataType {
    private static final long serialVersionUID = 1L;

    public static final int MAX_PRECISION = 38;

    private final int precision;
    private final int scale;

    public DecimalType(int precision, int scale, boolean nullable) {
        super(DataTypeRoot.DECIMAL, nullable);
        if (precision < 1 || precision > MAX_PRECISION) {
            throw new IllegalArgumentException(
                    "DECIMAL precision must be between 1 and " + MAX_PRECISION + ", got " + precision);
        }
        if (scale < 0 || scale > precision) {
            throw new IllegalArgumentException(
                    "DECIMAL scale must be between 0 and the precision " + precision + ", got " + scale);
        }
        this.precision = precision;
        this.scale = scale;
    }

    public int precision() {
        return precision;
    }

    public int scale() {
        return scale;
    }

    @Override
    public DataType copy(boolean nullable) {
        return new DecimalType(precision, scale, nullable);
    }

    @Override
    public String asSummaryString() {
        return "DECIMAL(" + precision + ", " + scale + ")";
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && precision == ((DecimalType) o).precision && scale == ((DecimalType) o).scale;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), precision, scale);
    }
}

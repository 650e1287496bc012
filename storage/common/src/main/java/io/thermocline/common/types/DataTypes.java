package io.thermocline.common.types;

import java.util.Arrays;

/** Factory methods for {@link DataType}s, all nullable; call {@link DataType#notNull()} for NOT NULL. */
public final class DataTypes {
    private DataTypes() {}

    public static DataType BOOLEAN() {
        return new AtomicType(DataTypeRoot.BOOLEAN, true);
    }

    public static DataType TINYINT() {
        return new AtomicType(DataTypeRoot.TINYINT, true);
    }

    public static DataType SMALLINT() {
        return new AtomicType(DataTypeRoot.SMALLINT, true);
    }

    public static DataType INT() {
        return new AtomicType(DataTypeRoot.INTEGER, true);
    }

    public static DataType BIGINT() {
        return new AtomicType(DataTypeRoot.BIGINT, true);
    }

    public static DataType FLOAT() {
        return new AtomicType(DataTypeRoot.FLOAT, true);
    }

    public static DataType DOUBLE() {
        return new AtomicType(DataTypeRoot.DOUBLE, true);
    }

    public static DecimalType DECIMAL(int precision, int scale) {
        return new DecimalType(precision, scale, true);
    }

    public static DataType STRING() {
        return new AtomicType(DataTypeRoot.STRING, true);
    }

    public static DataType BYTES() {
        return new AtomicType(DataTypeRoot.BYTES, true);
    }

    /** Days since 1970-01-01. */
    public static DataType DATE() {
        return new AtomicType(DataTypeRoot.DATE, true);
    }

    /** Time of day with millisecond precision. */
    public static DataType TIME() {
        return new AtomicType(DataTypeRoot.TIME_WITHOUT_TIME_ZONE, true);
    }

    public static TimestampType TIMESTAMP(int precision) {
        return new TimestampType(false, precision, true);
    }

    public static TimestampType TIMESTAMP() {
        return TIMESTAMP(TimestampType.DEFAULT_PRECISION);
    }

    public static TimestampType TIMESTAMP_LTZ(int precision) {
        return new TimestampType(true, precision, true);
    }

    public static TimestampType TIMESTAMP_LTZ() {
        return TIMESTAMP_LTZ(TimestampType.DEFAULT_PRECISION);
    }

    public static ArrayType ARRAY(DataType elementType) {
        return new ArrayType(elementType, true);
    }

    public static MapType MAP(DataType keyType, DataType valueType) {
        return new MapType(keyType, valueType, true);
    }

    public static DataField FIELD(String name, DataType type) {
        return new DataField(name, type);
    }

    public static RowType ROW(DataField... fields) {
        return new RowType(Arrays.asList(fields), true);
    }
}

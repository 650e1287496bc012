package io.thermocline.lake;

import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.row.TimestampNtz;
import io.thermocline.common.types.DataType;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Thermocline values (as rows hold them) in Iceberg's two Java representations: the one of
 * generic records ({@code LocalDate}, {@code OffsetDateTime}, ...) and the internal one of
 * partition tuples (days, microseconds, ...). Narrow integers widen to int, as in the lake schema.
 */
public final class LakeValues {
    private LakeValues() {}

    /** The value as an Iceberg generic {@code Record} field holds it; null stays null. */
    public static Object toRecordValue(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        switch (type.root()) {
            case TINYINT:
                return (int) (Byte) value;
            case SMALLINT:
                return (int) (Short) value;
            case STRING:
                return value.toString();
            case BYTES:
                return ByteBuffer.wrap((byte[]) value);
            case DATE:
                return LocalDate.ofEpochDay((Integer) value);
            case TIME_WITHOUT_TIME_ZONE:
                return LocalTime.ofNanoOfDay((Integer) value * 1_000_000L);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return ((TimestampNtz) value).toLocalDateTime();
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return ((TimestampLtz) value).toInstant().atOffset(ZoneOffset.UTC);
            default:
                return value; // boolean, int, long, float, double, BigDecimal
        }
    }

    /** The value as an Iceberg partition tuple holds it (identity transform); null stays null. */
    public static Object toPartitionValue(DataType type, Object value) {
        if (value == null) {
            return null;
        }
        switch (type.root()) {
            case TINYINT:
                return (int) (Byte) value;
            case SMALLINT:
                return (int) (Short) value;
            case STRING:
                return value instanceof BinaryString ? value.toString() : value;
            case BYTES:
                return ByteBuffer.wrap((byte[]) value);
            case TIME_WITHOUT_TIME_ZONE:
                return (Integer) value * 1000L;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                TimestampNtz ntz = (TimestampNtz) value;
                return ntz.millis() * 1000 + ntz.nanoOfMillisecond() / 1000;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                TimestampLtz ltz = (TimestampLtz) value;
                return ltz.epochMillis() * 1000 + ltz.nanoOfMillisecond() / 1000;
            default:
                return value; // boolean, int, date (days), long, float, double, BigDecimal
        }
    }
}

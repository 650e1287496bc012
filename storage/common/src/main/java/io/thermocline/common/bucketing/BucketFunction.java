package io.thermocline.common.bucketing;

import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.row.TimestampNtz;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.RowType;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * The bucket of a row from its bucket-key columns, exactly as Apache Iceberg's {@code bucket[N]}
 * transform computes it, so that hot bucket b is lake bucket b and tiering never reshuffles:
 * {@code (murmur3_x86_32(bytes) & Integer.MAX_VALUE) % N} with Iceberg's value serialization
 * (integers, dates, times and timestamps as 8-byte little-endian longs, times and timestamps in
 * microseconds; strings as UTF-8; binary as is; decimals as the unscaled value's minimal
 * big-endian two's complement). Several bucket columns hash their concatenated bytes (the
 * multi-argument bucket of the Iceberg spec). Types Iceberg cannot bucket (boolean, float,
 * double) hash their bits as longs, for tables that never tier. Thread-safe once built.
 */
public final class BucketFunction {
    private final DataType[] types;
    private final InternalRow.FieldGetter[] getters;
    private final int buckets;

    /** Buckets rows of {@code rowType} by the columns {@code keyIndexes} into {@code buckets} buckets. */
    public BucketFunction(RowType rowType, int[] keyIndexes, int buckets) {
        this.types = new DataType[keyIndexes.length];
        this.getters = new InternalRow.FieldGetter[keyIndexes.length];
        for (int i = 0; i < keyIndexes.length; i++) {
            types[i] = rowType.typeAt(keyIndexes[i]);
            getters[i] = InternalRow.fieldGetter(types[i].nullable(), keyIndexes[i]);
        }
        this.buckets = buckets;
    }

    public int bucket(InternalRow row) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        for (int i = 0; i < types.length; i++) {
            Object value = getters[i].get(row);
            if (value != null) {
                // Nulls contribute nothing, as in Iceberg's multi-argument bucket.
                write(bytes, types[i], value);
            }
        }
        return (Murmur3.hash32(bytes.toByteArray()) & Integer.MAX_VALUE) % buckets;
    }

    /** Iceberg's single-value serialization for hashing. */
    static void write(ByteArrayOutputStream out, DataType type, Object value) {
        switch (type.root()) {
            case TINYINT:
                writeLong(out, (Byte) value);
                break;
            case SMALLINT:
                writeLong(out, (Short) value);
                break;
            case INTEGER:
            case DATE:
                writeLong(out, (Integer) value);
                break;
            case TIME_WITHOUT_TIME_ZONE:
                writeLong(out, (Integer) value * 1000L); // millis of day to micros
                break;
            case BIGINT:
                writeLong(out, (Long) value);
                break;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                TimestampNtz ntz = (TimestampNtz) value;
                writeLong(out, ntz.millis() * 1000 + ntz.nanoOfMillisecond() / 1000);
                break;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                TimestampLtz ltz = (TimestampLtz) value;
                writeLong(out, ltz.epochMillis() * 1000 + ltz.nanoOfMillisecond() / 1000);
                break;
            case STRING:
                out.writeBytes(value instanceof BinaryString ? ((BinaryString) value).toBytes()
                        : value.toString().getBytes(StandardCharsets.UTF_8));
                break;
            case BYTES:
                out.writeBytes((byte[]) value);
                break;
            case DECIMAL:
                out.writeBytes(((BigDecimal) value).setScale(((DecimalType) type).scale()).unscaledValue().toByteArray());
                break;
            case BOOLEAN:
                writeLong(out, (Boolean) value ? 1 : 0);
                break;
            case FLOAT:
                writeLong(out, Float.floatToIntBits((Float) value));
                break;
            case DOUBLE:
                writeLong(out, Double.doubleToLongBits((Double) value));
                break;
            default:
                throw new IllegalArgumentException("Bucket keys must be of a primitive type, not " + type);
        }
    }

    private static void writeLong(ByteArrayOutputStream out, long value) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)));
        }
    }
}

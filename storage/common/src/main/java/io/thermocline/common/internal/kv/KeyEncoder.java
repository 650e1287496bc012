package io.thermocline.common.internal.kv;

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
 * Encodes the primary key of a row as bytes, column by column in key order. Every column's
 * encoding is self-delimiting, so the encoding of a key prefix (the bucket key of a prefix lookup)
 * is a byte prefix of the full key's: fixed-width numbers big-endian with the sign bit flipped
 * (they sort like the numbers), strings, bytes and decimals with 0x00 escaped as 0x00 0xFF and
 * ended by 0x00 0x00. Key columns are never null. Thread-safe.
 */
public final class KeyEncoder {
    private final DataType[] types;
    private final InternalRow.FieldGetter[] getters;

    /** Encodes the columns {@code keyIndexes} (in that order) of rows of {@code rowType}. */
    public KeyEncoder(RowType rowType, int[] keyIndexes) {
        this.types = new DataType[keyIndexes.length];
        this.getters = new InternalRow.FieldGetter[keyIndexes.length];
        for (int i = 0; i < keyIndexes.length; i++) {
            types[i] = rowType.typeAt(keyIndexes[i]);
            getters[i] = InternalRow.fieldGetter(types[i], keyIndexes[i]);
        }
    }

    /** The key bytes; throws {@link IllegalArgumentException} naming the position of a null key column. */
    public byte[] encode(InternalRow row) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        for (int i = 0; i < types.length; i++) {
            Object value = getters[i].get(row);
            if (value == null) {
                throw new IllegalArgumentException("key column " + i + " is null");
            }
            write(out, types[i], value);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, DataType type, Object value) {
        switch (type.root()) {
            case BOOLEAN:
                out.write((Boolean) value ? 1 : 0);
                break;
            case TINYINT:
                out.write(((Byte) value) ^ 0x80);
                break;
            case SMALLINT:
                writeLong(out, (Short) value, 2);
                break;
            case INTEGER:
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
                writeLong(out, (Integer) value, 4);
                break;
            case BIGINT:
                writeLong(out, (Long) value, 8);
                break;
            case FLOAT:
                int floatBits = Float.floatToIntBits((Float) value);
                writeRaw(out, floatBits < 0 ? ~floatBits : floatBits ^ 0x80000000L, 4);
                break;
            case DOUBLE:
                long doubleBits = Double.doubleToLongBits((Double) value);
                writeRaw(out, doubleBits < 0 ? ~doubleBits : doubleBits ^ Long.MIN_VALUE, 8);
                break;
            case DECIMAL:
                // The scale is the type's, so the unscaled value orders the decimals.
                BigDecimal decimal = (BigDecimal) value;
                writeEscaped(out, decimal.setScale(((DecimalType) type).scale()).unscaledValue().toString()
                        .getBytes(StandardCharsets.US_ASCII));
                break;
            case STRING:
                writeEscaped(out, value.toString().getBytes(StandardCharsets.UTF_8));
                break;
            case BYTES:
                writeEscaped(out, (byte[]) value);
                break;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                TimestampNtz ntz = (TimestampNtz) value;
                writeLong(out, ntz.millis(), 8);
                writeLong(out, ntz.nanoOfMillisecond(), 4);
                break;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                TimestampLtz ltz = (TimestampLtz) value;
                writeLong(out, ltz.epochMillis(), 8);
                writeLong(out, ltz.nanoOfMillisecond(), 4);
                break;
            default:
                throw new IllegalArgumentException("Key columns must be of a primitive type, not " + type);
        }
    }

    /** Signed values: flipping the sign bit makes their big-endian bytes sort like the numbers. */
    private static void writeLong(ByteArrayOutputStream out, long value, int bytes) {
        writeRaw(out, value ^ (1L << (bytes * 8 - 1)), bytes);
    }

    private static void writeRaw(ByteArrayOutputStream out, long value, int bytes) {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
    }

    private static void writeEscaped(ByteArrayOutputStream out, byte[] bytes) {
        for (byte b : bytes) {
            out.write(b);
            if (b == 0) {
                out.write(0xFF);
            }
        }
        out.write(0);
        out.write(0);
    }
}

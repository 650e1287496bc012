package io.thermocline.common.internal.kv;

import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.row.TimestampNtz;
import io.thermocline.common.schema.SchemaLookup;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.RowType;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * The value of a key in a KV tablet: a whole row in a compact binary form. Layout: the schema id
 * (4 bytes), a null bitmap (one bit per column), then each non-null column: fixed-width numbers
 * big-endian, timestamps as millis and nanos, strings, bytes and decimals (unscaled) as a
 * varint length and the bytes. Decoding needs the schema of the id, found by the caller.
 */
public final class ValueEncoder {
    private final RowType rowType;
    private final int schemaId;
    private final InternalRow.FieldGetter[] getters;

    public ValueEncoder(RowType rowType, int schemaId) {
        this.rowType = rowType;
        this.schemaId = schemaId;
        this.getters = new InternalRow.FieldGetter[rowType.fieldCount()];
        for (int i = 0; i < getters.length; i++) {
            getters[i] = InternalRow.fieldGetter(rowType.typeAt(i).nullable(), i);
        }
    }

    public byte[] encode(InternalRow row) {
        int fields = getters.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        writeInt(out, schemaId);
        byte[] nulls = new byte[(fields + 7) / 8];
        Object[] values = new Object[fields];
        for (int i = 0; i < fields; i++) {
            values[i] = getters[i].get(row);
            if (values[i] == null) {
                nulls[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        out.writeBytes(nulls);
        for (int i = 0; i < fields; i++) {
            if (values[i] != null) {
                write(out, rowType.typeAt(i), values[i]);
            }
        }
        return out.toByteArray();
    }

    /** The schema id a value was written with. */
    public static int schemaIdOf(byte[] value) {
        return ByteBuffer.wrap(value).getInt(0);
    }

    /**
     * Decodes a value written with any schema of the table as a row of {@code rowType}: columns
     * added after the value was written are null, columns added after {@code rowType} dropped.
     */
    public static GenericRow decode(byte[] value, SchemaLookup schemas, RowType rowType) {
        RowType written = schemas.schema(schemaIdOf(value)).rowType();
        if (written.fieldCount() == rowType.fieldCount()) {
            return decode(value, rowType);
        }
        GenericRow decoded = decode(value, written);
        GenericRow row = new GenericRow(rowType.fieldCount());
        for (int i = 0; i < Math.min(written.fieldCount(), rowType.fieldCount()); i++) {
            row.setField(i, decoded.getField(i));
        }
        return row;
    }

    /** Decodes a value written with the schema whose row type is {@code rowType}. */
    public static GenericRow decode(byte[] value, RowType rowType) {
        ByteBuffer in = ByteBuffer.wrap(value);
        in.getInt(); // schema id
        int fields = rowType.fieldCount();
        byte[] nulls = new byte[(fields + 7) / 8];
        in.get(nulls);
        GenericRow row = new GenericRow(fields);
        for (int i = 0; i < fields; i++) {
            if ((nulls[i / 8] & (1 << (i % 8))) == 0) {
                row.setField(i, read(in, rowType.typeAt(i)));
            }
        }
        return row;
    }

    private static void write(ByteArrayOutputStream out, DataType type, Object value) {
        switch (type.root()) {
            case BOOLEAN:
                out.write((Boolean) value ? 1 : 0);
                break;
            case TINYINT:
                out.write((Byte) value);
                break;
            case SMALLINT:
                out.write(((Short) value) >> 8);
                out.write((Short) value);
                break;
            case INTEGER:
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
                writeInt(out, (Integer) value);
                break;
            case BIGINT:
                writeLong(out, (Long) value);
                break;
            case FLOAT:
                writeInt(out, Float.floatToIntBits((Float) value));
                break;
            case DOUBLE:
                writeLong(out, Double.doubleToLongBits((Double) value));
                break;
            case DECIMAL:
                writeBytes(out, ((BigDecimal) value).setScale(((DecimalType) type).scale()).unscaledValue().toByteArray());
                break;
            case STRING:
                writeBytes(out, ((BinaryString) value).toBytes());
                break;
            case BYTES:
                writeBytes(out, (byte[]) value);
                break;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                writeLong(out, ((TimestampNtz) value).millis());
                writeInt(out, ((TimestampNtz) value).nanoOfMillisecond());
                break;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                writeLong(out, ((TimestampLtz) value).epochMillis());
                writeInt(out, ((TimestampLtz) value).nanoOfMillisecond());
                break;
            default:
                throw new IllegalArgumentException("KV values hold primitive columns, not " + type);
        }
    }

    private static Object read(ByteBuffer in, DataType type) {
        switch (type.root()) {
            case BOOLEAN:
                return in.get() != 0;
            case TINYINT:
                return in.get();
            case SMALLINT:
                return in.getShort();
            case INTEGER:
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
                return in.getInt();
            case BIGINT:
                return in.getLong();
            case FLOAT:
                return Float.intBitsToFloat(in.getInt());
            case DOUBLE:
                return Double.longBitsToDouble(in.getLong());
            case DECIMAL:
                return new BigDecimal(new BigInteger(readBytes(in)), ((DecimalType) type).scale());
            case STRING:
                return BinaryString.fromBytes(readBytes(in));
            case BYTES:
                return readBytes(in);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return TimestampNtz.fromMillis(in.getLong(), in.getInt());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return TimestampLtz.fromEpochMillis(in.getLong(), in.getInt());
            default:
                throw new IllegalArgumentException("KV values hold primitive columns, not " + type);
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void writeLong(ByteArrayOutputStream out, long value) {
        writeInt(out, (int) (value >>> 32));
        writeInt(out, (int) value);
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        int length = bytes.length;
        while ((length & ~0x7F) != 0) {
            out.write((length & 0x7F) | 0x80);
            length >>>= 7;
        }
        out.write(length);
        out.writeBytes(bytes);
    }

    private static byte[] readBytes(ByteBuffer in) {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}

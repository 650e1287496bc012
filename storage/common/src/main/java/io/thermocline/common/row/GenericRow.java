package io.thermocline.common.row;

import io.thermocline.common.types.RowType;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A row backed by an object array, holding values in the representation {@link InternalRow}
 * documents. Convenient for writers and tests; not meant for per-record hot paths. Not
 * thread-safe.
 */
public final class GenericRow implements InternalRow {
    private final Object[] fields;

    public GenericRow(int fieldCount) {
        this.fields = new Object[fieldCount];
    }

    private GenericRow(Object[] fields) {
        this.fields = fields;
    }

    /** A row of the given values; strings given as {@link String} are converted. */
    public static GenericRow of(Object... values) {
        Object[] fields = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            fields[i] = values[i] instanceof String ? BinaryString.fromString((String) values[i]) : values[i];
        }
        return new GenericRow(fields);
    }

    /** A detached copy of any row, typed by {@code rowType}. */
    public static GenericRow copyOf(InternalRow row, RowType rowType) {
        GenericRow copy = new GenericRow(rowType.fieldCount());
        for (int i = 0; i < rowType.fieldCount(); i++) {
            copy.fields[i] = InternalRow.fieldGetter(rowType.typeAt(i), i).get(row);
        }
        return copy;
    }

    public void setField(int pos, Object value) {
        fields[pos] = value;
    }

    public Object getField(int pos) {
        return fields[pos];
    }

    @Override
    public int fieldCount() {
        return fields.length;
    }

    @Override
    public boolean isNullAt(int pos) {
        return fields[pos] == null;
    }

    @Override
    public boolean getBoolean(int pos) {
        return (Boolean) fields[pos];
    }

    @Override
    public byte getByte(int pos) {
        return (Byte) fields[pos];
    }

    @Override
    public short getShort(int pos) {
        return (Short) fields[pos];
    }

    @Override
    public int getInt(int pos) {
        return (Integer) fields[pos];
    }

    @Override
    public long getLong(int pos) {
        return (Long) fields[pos];
    }

    @Override
    public float getFloat(int pos) {
        return (Float) fields[pos];
    }

    @Override
    public double getDouble(int pos) {
        return (Double) fields[pos];
    }

    @Override
    public BigDecimal getDecimal(int pos, int precision, int scale) {
        return (BigDecimal) fields[pos];
    }

    @Override
    public BinaryString getString(int pos) {
        return (BinaryString) fields[pos];
    }

    @Override
    public byte[] getBytes(int pos) {
        return (byte[]) fields[pos];
    }

    @Override
    public TimestampNtz getTimestampNtz(int pos, int precision) {
        return (TimestampNtz) fields[pos];
    }

    @Override
    public TimestampLtz getTimestampLtz(int pos, int precision) {
        return (TimestampLtz) fields[pos];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenericRow && Arrays.deepEquals(fields, ((GenericRow) o).fields);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(fields);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(fields);
    }
}

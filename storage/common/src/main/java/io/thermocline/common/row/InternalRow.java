package io.thermocline.common.row;

import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.TimestampType;

import java.math.BigDecimal;

/**
 * A row of values read by position with typed accessors, so that hot paths read primitives
 * without boxing. Implementations may be views over columnar memory that change when the
 * underlying batch moves on; copy what must outlive it (see {@link GenericRow#copyOf}).
 *
 * <p>Value representation per type: BOOLEAN boolean, TINYINT byte, SMALLINT short, INT int,
 * BIGINT long, FLOAT float, DOUBLE double, DECIMAL {@link BigDecimal}, STRING {@link
 * BinaryString}, BYTES byte[], DATE int (days since 1970-01-01), TIME int (milliseconds of the
 * day), TIMESTAMP {@link TimestampNtz}, TIMESTAMP_LTZ {@link TimestampLtz}.
 *
 * <p>Calling a getter for a null field or with the wrong type is undefined; check {@link
 * #isNullAt} first.
 */
public interface InternalRow {

    int fieldCount();

    boolean isNullAt(int pos);

    boolean getBoolean(int pos);

    byte getByte(int pos);

    short getShort(int pos);

    /** INT, DATE and TIME values. */
    int getInt(int pos);

    long getLong(int pos);

    float getFloat(int pos);

    double getDouble(int pos);

    BigDecimal getDecimal(int pos, int precision, int scale);

    BinaryString getString(int pos);

    byte[] getBytes(int pos);

    TimestampNtz getTimestampNtz(int pos, int precision);

    TimestampLtz getTimestampLtz(int pos, int precision);

    /** Reads a field as an object; for generic code off the hot path. */
    interface FieldGetter {
        /** The value, or null when the field is null. */
        Object get(InternalRow row);
    }

    /** A getter for the field at {@code pos} of the given type. */
    static FieldGetter fieldGetter(DataType type, int pos) {
        FieldGetter getter;
        switch (type.root()) {
            case BOOLEAN:
                getter = row -> row.getBoolean(pos);
                break;
            case TINYINT:
                getter = row -> row.getByte(pos);
                break;
            case SMALLINT:
                getter = row -> row.getShort(pos);
                break;
            case INTEGER:
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
                getter = row -> row.getInt(pos);
                break;
            case BIGINT:
                getter = row -> row.getLong(pos);
                break;
            case FLOAT:
                getter = row -> row.getFloat(pos);
                break;
            case DOUBLE:
                getter = row -> row.getDouble(pos);
                break;
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                getter = row -> row.getDecimal(pos, decimal.precision(), decimal.scale());
                break;
            case STRING:
                getter = row -> row.getString(pos);
                break;
            case BYTES:
                getter = row -> row.getBytes(pos);
                break;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                int ntzPrecision = ((TimestampType) type).precision();
                getter = row -> row.getTimestampNtz(pos, ntzPrecision);
                break;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                int ltzPrecision = ((TimestampType) type).precision();
                getter = row -> row.getTimestampLtz(pos, ltzPrecision);
                break;
            default:
                throw new IllegalArgumentException("Rows do not hold values of type " + type + " yet");
        }
        if (!type.isNullable()) {
            return getter;
        }
        return row -> row.isNullAt(pos) ? null : getter.get(row);
    }
}

package io.thermocline.common.internal.arrow;

import io.thermocline.common.row.InternalRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.row.TimestampNtz;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.TimestampType;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Writes one field of rows into an Arrow vector with typed accessors (no boxing). Returns the
 * variable-length bytes it added so that the batch writer can track its size cheaply.
 */
@FunctionalInterface
interface ArrowFieldWriter {

    /** Writes {@code row}'s field {@code pos} (not null) at {@code index}; returns variable bytes added. */
    int write(int index, InternalRow row, int pos);

    static ArrowFieldWriter create(DataType type, FieldVector vector) {
        switch (type.root()) {
            case BOOLEAN:
                BitVector bits = (BitVector) vector;
                return (i, row, pos) -> {
                    bits.setSafe(i, row.getBoolean(pos) ? 1 : 0);
                    return 0;
                };
            case TINYINT:
                TinyIntVector tiny = (TinyIntVector) vector;
                return (i, row, pos) -> {
                    tiny.setSafe(i, row.getByte(pos));
                    return 0;
                };
            case SMALLINT:
                SmallIntVector small = (SmallIntVector) vector;
                return (i, row, pos) -> {
                    small.setSafe(i, row.getShort(pos));
                    return 0;
                };
            case INTEGER:
                IntVector ints = (IntVector) vector;
                return (i, row, pos) -> {
                    ints.setSafe(i, row.getInt(pos));
                    return 0;
                };
            case BIGINT:
                BigIntVector longs = (BigIntVector) vector;
                return (i, row, pos) -> {
                    longs.setSafe(i, row.getLong(pos));
                    return 0;
                };
            case FLOAT:
                Float4Vector floats = (Float4Vector) vector;
                return (i, row, pos) -> {
                    floats.setSafe(i, row.getFloat(pos));
                    return 0;
                };
            case DOUBLE:
                Float8Vector doubles = (Float8Vector) vector;
                return (i, row, pos) -> {
                    doubles.setSafe(i, row.getDouble(pos));
                    return 0;
                };
            case DECIMAL:
                return decimalWriter((DecimalType) type, (DecimalVector) vector);
            case STRING:
                VarCharVector strings = (VarCharVector) vector;
                return (i, row, pos) -> {
                    byte[] bytes = row.getString(pos).toBytes();
                    strings.setSafe(i, bytes);
                    return bytes.length;
                };
            case BYTES:
                VarBinaryVector binary = (VarBinaryVector) vector;
                return (i, row, pos) -> {
                    byte[] bytes = row.getBytes(pos);
                    binary.setSafe(i, bytes);
                    return bytes.length;
                };
            case DATE:
                DateDayVector dates = (DateDayVector) vector;
                return (i, row, pos) -> {
                    dates.setSafe(i, row.getInt(pos));
                    return 0;
                };
            case TIME_WITHOUT_TIME_ZONE:
                TimeMilliVector times = (TimeMilliVector) vector;
                return (i, row, pos) -> {
                    times.setSafe(i, row.getInt(pos));
                    return 0;
                };
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return timestampNtzWriter(((TimestampType) type).precision(), (TimeStampVector) vector);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return timestampLtzWriter(((TimestampType) type).precision(), (TimeStampVector) vector);
            default:
                throw new IllegalArgumentException("No Arrow writer for " + type);
        }
    }

    private static ArrowFieldWriter decimalWriter(DecimalType type, DecimalVector vector) {
        int precision = type.precision();
        int scale = type.scale();
        return (i, row, pos) -> {
            BigDecimal value = row.getDecimal(pos, precision, scale);
            if (value.scale() != scale) {
                // Only exact rescaling: a value with more fraction digits than the column does not fit.
                value = value.setScale(scale, RoundingMode.UNNECESSARY);
            }
            if (value.precision() > precision) {
                throw new ArithmeticException(
                        "value " + value + " has " + value.precision() + " digits, more than the precision " + precision);
            }
            vector.setSafe(i, value);
            return 0;
        };
    }

    private static ArrowFieldWriter timestampNtzWriter(int precision, TimeStampVector vector) {
        return (i, row, pos) -> {
            TimestampNtz ts = row.getTimestampNtz(pos, precision);
            vector.setSafe(i, ArrowTimestamps.toUnits(ts.millis(), ts.nanoOfMillisecond(), precision));
            return 0;
        };
    }

    private static ArrowFieldWriter timestampLtzWriter(int precision, TimeStampVector vector) {
        return (i, row, pos) -> {
            TimestampLtz ts = row.getTimestampLtz(pos, precision);
            vector.setSafe(i, ArrowTimestamps.toUnits(ts.epochMillis(), ts.nanoOfMillisecond(), precision));
            return 0;
        };
    }
}

package io.thermocline.common.internal.arrow;

import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.row.TimestampNtz;

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
import org.apache.arrow.vector.VectorSchemaRoot;

import java.math.BigDecimal;

/**
 * A row view over Arrow vectors: {@link #setRowId} moves it, getters read the vectors directly.
 * Valid only while the vectors hold the batch. Not thread-safe.
 */
public final class ArrowColumnarRow implements InternalRow {
    private final FieldVector[] vectors;
    private int rowId;

    public ArrowColumnarRow(VectorSchemaRoot root) {
        this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
    }

    public ArrowColumnarRow setRowId(int rowId) {
        this.rowId = rowId;
        return this;
    }

    public int rowId() {
        return rowId;
    }

    @Override
    public int fieldCount() {
        return vectors.length;
    }

    @Override
    public boolean isNullAt(int pos) {
        return vectors[pos].isNull(rowId);
    }

    @Override
    public boolean getBoolean(int pos) {
        return ((BitVector) vectors[pos]).get(rowId) != 0;
    }

    @Override
    public byte getByte(int pos) {
        return ((TinyIntVector) vectors[pos]).get(rowId);
    }

    @Override
    public short getShort(int pos) {
        return ((SmallIntVector) vectors[pos]).get(rowId);
    }

    @Override
    public int getInt(int pos) {
        FieldVector vector = vectors[pos];
        if (vector instanceof IntVector) {
            return ((IntVector) vector).get(rowId);
        } else if (vector instanceof DateDayVector) {
            return ((DateDayVector) vector).get(rowId);
        }
        return ((TimeMilliVector) vector).get(rowId);
    }

    @Override
    public long getLong(int pos) {
        return ((BigIntVector) vectors[pos]).get(rowId);
    }

    @Override
    public float getFloat(int pos) {
        return ((Float4Vector) vectors[pos]).get(rowId);
    }

    @Override
    public double getDouble(int pos) {
        return ((Float8Vector) vectors[pos]).get(rowId);
    }

    @Override
    public BigDecimal getDecimal(int pos, int precision, int scale) {
        return ((DecimalVector) vectors[pos]).getObject(rowId);
    }

    @Override
    public BinaryString getString(int pos) {
        return BinaryString.fromBytes(((VarCharVector) vectors[pos]).get(rowId));
    }

    @Override
    public byte[] getBytes(int pos) {
        return ((VarBinaryVector) vectors[pos]).get(rowId);
    }

    @Override
    public TimestampNtz getTimestampNtz(int pos, int precision) {
        long units = ((TimeStampVector) vectors[pos]).get(rowId);
        return TimestampNtz.fromMillis(
                ArrowTimestamps.millis(units, precision), ArrowTimestamps.nanoOfMillisecond(units, precision));
    }

    @Override
    public TimestampLtz getTimestampLtz(int pos, int precision) {
        long units = ((TimeStampVector) vectors[pos]).get(rowId);
        return TimestampLtz.fromEpochMillis(
                ArrowTimestamps.millis(units, precision), ArrowTimestamps.nanoOfMillisecond(units, precision));
    }
}

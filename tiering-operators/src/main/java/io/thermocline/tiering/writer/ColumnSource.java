package io.thermocline.tiering.writer;

import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.TimestampType;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
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
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;

/**
 * Writes one Parquet column from one Arrow vector, value by value straight from the vector's
 * buffers, converting to Iceberg's physical representation on the way (times and timestamps to
 * microseconds, narrow integers widened, decimals as unscaled integers or fixed bytes). No row
 * objects are built; strings and binaries become a {@link Binary} each, as Parquet's API wants.
 */
abstract class ColumnSource {
    /** Definition level of a present value: 1 for an optional column, 0 for a required one. */
    final int presentLevel;

    ColumnSource(boolean optional) {
        this.presentLevel = optional ? 1 : 0;
    }

    /** Writes the values of rows {@code rows[0..count)}. */
    abstract void write(ColumnWriter writer, int[] rows, int count);

    /** The source for a Thermocline column of {@code type} held in {@code vector}. */
    static ColumnSource of(DataType type, FieldVector vector, boolean optional) {
        switch (type.root()) {
            case BOOLEAN:
                return new Vector<BitVector>((BitVector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        writer.write(v.get(row) != 0, 0, presentLevel);
                    }
                };
            case TINYINT:
                return new Vector<TinyIntVector>((TinyIntVector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        writer.write((int) v.get(row), 0, presentLevel);
                    }
                };
            case SMALLINT:
                return new Vector<SmallIntVector>((SmallIntVector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        writer.write((int) v.get(row), 0, presentLevel);
                    }
                };
            case INTEGER:
                return new Vector<IntVector>((IntVector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        writer.write(v.get(row), 0, presentLevel);
                    }
                };
            case DATE:
                return new Vector<DateDayVector>((DateDayVector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        writer.write(v.get(row), 0, presentLevel);
                    }
                };
            case BIGINT:
                return new Vector<BigIntVector>((BigIntVector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        writer.write(v.get(row), 0, presentLevel);
                    }
                };
            case FLOAT:
                return new Vector<Float4Vector>((Float4Vector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        writer.write(v.get(row), 0, presentLevel);
                    }
                };
            case DOUBLE:
                return new Vector<Float8Vector>((Float8Vector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        writer.write(v.get(row), 0, presentLevel);
                    }
                };
            case TIME_WITHOUT_TIME_ZONE:
                return new Vector<TimeMilliVector>((TimeMilliVector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        writer.write(v.get(row) * 1000L, 0, presentLevel);
                    }
                };
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                int precision = ((TimestampType) type).precision();
                long multiplier = precision <= 3 ? 1000L : 1L; // millisecond vectors up to precision 3, else micros
                return new Vector<TimeStampVector>((TimeStampVector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        writer.write(v.get(row) * multiplier, 0, presentLevel);
                    }
                };
            case STRING:
            case BYTES:
                return new Vector<BaseVariableWidthVector>((BaseVariableWidthVector) vector, optional) {
                    @Override
                    void value(ColumnWriter writer, int row) {
                        // A view of the Arrow buffer: Parquet copies it where it keeps it (dictionaries).
                        long start = v.getStartOffset(row);
                        int length = (int) (v.getEndOffset(row) - start);
                        writer.write(Binary.fromReusedByteBuffer(v.getDataBuffer().nioBuffer(start, length)), 0,
                                presentLevel);
                    }
                };
            case DECIMAL:
                return decimal((DecimalType) type, (DecimalVector) vector, optional);
            default:
                throw new IllegalArgumentException("No Parquet column for type " + type);
        }
    }

    /** Iceberg's decimal layout: INT32 up to 9 digits, INT64 up to 18, else big-endian fixed bytes. */
    private static ColumnSource decimal(DecimalType type, DecimalVector vector, boolean optional) {
        if (type.precision() <= 9) {
            return new Vector<DecimalVector>(vector, optional) {
                @Override
                void value(ColumnWriter writer, int row) {
                    writer.write((int) v.getDataBuffer().getLong((long) row * DecimalVector.TYPE_WIDTH), 0, presentLevel);
                }
            };
        }
        if (type.precision() <= 18) {
            return new Vector<DecimalVector>(vector, optional) {
                @Override
                void value(ColumnWriter writer, int row) {
                    writer.write(v.getDataBuffer().getLong((long) row * DecimalVector.TYPE_WIDTH), 0, presentLevel);
                }
            };
        }
        int width = org.apache.iceberg.types.TypeUtil.decimalRequiredBytes(type.precision());
        return new Vector<DecimalVector>(vector, optional) {
            @Override
            void value(ColumnWriter writer, int row) {
                // Arrow holds 16 little-endian bytes; Parquet wants the low `width` of them big-endian.
                ArrowBuf data = v.getDataBuffer();
                long start = (long) row * DecimalVector.TYPE_WIDTH;
                byte[] bytes = new byte[width];
                for (int i = 0; i < width; i++) {
                    bytes[width - 1 - i] = data.getByte(start + i);
                }
                writer.write(Binary.fromConstantByteArray(bytes), 0, presentLevel);
            }
        };
    }

    /** The same value on every row: the bucket, or the batch's commit time. */
    static ColumnSource constantInt(int value) {
        return new ColumnSource(false) {
            @Override
            void write(ColumnWriter writer, int[] rows, int count) {
                for (int i = 0; i < count; i++) {
                    writer.write(value, 0, 0);
                }
            }
        };
    }

    static ColumnSource constantLong(long value) {
        return new ColumnSource(false) {
            @Override
            void write(ColumnWriter writer, int[] rows, int count) {
                for (int i = 0; i < count; i++) {
                    writer.write(value, 0, 0);
                }
            }
        };
    }

    /** The row's log offset: the batch's base offset plus its index. */
    static ColumnSource offsets(long baseOffset) {
        return new ColumnSource(false) {
            @Override
            void write(ColumnWriter writer, int[] rows, int count) {
                for (int i = 0; i < count; i++) {
                    writer.write(baseOffset + rows[i], 0, 0);
                }
            }
        };
    }

    /** A lake column the hot table does not have (added in Iceberg): null on every row. */
    static ColumnSource nulls() {
        return new ColumnSource(true) {
            @Override
            void write(ColumnWriter writer, int[] rows, int count) {
                for (int i = 0; i < count; i++) {
                    writer.writeNull(0, 0);
                }
            }
        };
    }

    private abstract static class Vector<V extends FieldVector> extends ColumnSource {
        final V v;

        Vector(V vector, boolean optional) {
            super(optional);
            this.v = vector;
        }

        abstract void value(ColumnWriter writer, int row);

        @Override
        final void write(ColumnWriter writer, int[] rows, int count) {
            for (int i = 0; i < count; i++) {
                int row = rows[i];
                if (v.isNull(row)) {
                    writer.writeNull(0, 0);
                } else {
                    value(writer, row);
                }
            }
        }
    }
}

package io.thermocline.flink.source;

import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.RowType;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.data.Record;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/** Rows of the lake (Iceberg generic records) as Flink rows of the hot table's (projected) row type. */
final class LakeRowConverter {
    private final RowType rowType;

    LakeRowConverter(RowType rowType) {
        this.rowType = rowType;
    }

    GenericRowData toFlink(Record record) {
        GenericRowData row = new GenericRowData(rowType.fieldCount());
        for (int i = 0; i < rowType.fieldCount(); i++) {
            Object value = record.getField(rowType.fields().get(i).name());
            row.setField(i, value == null ? null : convert(rowType.typeAt(i), value));
        }
        return row;
    }

    private static Object convert(DataType type, Object value) {
        switch (type.root()) {
            case TINYINT:
                return ((Integer) value).byteValue();
            case SMALLINT:
                return ((Integer) value).shortValue();
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return DecimalData.fromBigDecimal((BigDecimal) value, decimal.precision(), decimal.scale());
            case STRING:
                return StringData.fromString(value.toString());
            case BYTES:
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            case DATE:
                return (int) ((LocalDate) value).toEpochDay();
            case TIME_WITHOUT_TIME_ZONE:
                return (int) (((LocalTime) value).toNanoOfDay() / 1_000_000);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return TimestampData.fromLocalDateTime((LocalDateTime) value);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return TimestampData.fromInstant(((OffsetDateTime) value).toInstant());
            default:
                return value; // boolean, int, long, float, double
        }
    }
}

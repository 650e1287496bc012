package io.thermocline.flink;

import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.row.TimestampNtz;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.RowType;
import io.thermocline.common.types.TimestampType;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

import java.io.Serializable;
import java.math.BigDecimal;

/** Rows between Flink's internal data structures and Thermocline's, field by field for one row type. */
public final class RowConverter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RowType rowType;

    public RowConverter(RowType rowType) {
        this.rowType = rowType;
    }

    /** A Flink row of this row type as a Thermocline row. */
    public GenericRow toThermocline(RowData row) {
        GenericRow out = new GenericRow(rowType.fieldCount());
        for (int i = 0; i < rowType.fieldCount(); i++) {
            if (!row.isNullAt(i)) {
                out.setField(i, toThermocline(rowType.typeAt(i), row, i));
            }
        }
        return out;
    }

    private static Object toThermocline(DataType type, RowData row, int i) {
        switch (type.root()) {
            case BOOLEAN:
                return row.getBoolean(i);
            case TINYINT:
                return row.getByte(i);
            case SMALLINT:
                return row.getShort(i);
            case INTEGER:
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
                return row.getInt(i);
            case BIGINT:
                return row.getLong(i);
            case FLOAT:
                return row.getFloat(i);
            case DOUBLE:
                return row.getDouble(i);
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return row.getDecimal(i, decimal.precision(), decimal.scale()).toBigDecimal();
            case STRING:
                return BinaryString.fromBytes(row.getString(i).toBytes());
            case BYTES:
                return row.getBinary(i);
            case TIMESTAMP_WITHOUT_TIME_ZONE: {
                TimestampData ts = row.getTimestamp(i, ((TimestampType) type).precision());
                return TimestampNtz.fromMillis(ts.getMillisecond(), ts.getNanoOfMillisecond());
            }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
                TimestampData ts = row.getTimestamp(i, ((TimestampType) type).precision());
                return TimestampLtz.fromEpochMillis(ts.getMillisecond(), ts.getNanoOfMillisecond());
            }
            default:
                throw new IllegalArgumentException("No conversion for " + type);
        }
    }

    /** A Thermocline row of this row type as a Flink row (a copy: the source row may be a reused view). */
    public GenericRowData toFlink(InternalRow row) {
        GenericRowData out = new GenericRowData(rowType.fieldCount());
        for (int i = 0; i < rowType.fieldCount(); i++) {
            if (!row.isNullAt(i)) {
                out.setField(i, toFlink(rowType.typeAt(i), row, i));
            }
        }
        return out;
    }

    private static Object toFlink(DataType type, InternalRow row, int i) {
        switch (type.root()) {
            case BOOLEAN:
                return row.getBoolean(i);
            case TINYINT:
                return row.getByte(i);
            case SMALLINT:
                return row.getShort(i);
            case INTEGER:
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
                return row.getInt(i);
            case BIGINT:
                return row.getLong(i);
            case FLOAT:
                return row.getFloat(i);
            case DOUBLE:
                return row.getDouble(i);
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                BigDecimal value = row.getDecimal(i, decimal.precision(), decimal.scale());
                return DecimalData.fromBigDecimal(value, decimal.precision(), decimal.scale());
            case STRING:
                return StringData.fromBytes(row.getString(i).toBytes());
            case BYTES:
                return row.getBytes(i);
            case TIMESTAMP_WITHOUT_TIME_ZONE: {
                TimestampNtz ts = row.getTimestampNtz(i, ((TimestampType) type).precision());
                return TimestampData.fromEpochMillis(ts.millis(), ts.nanoOfMillisecond());
            }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
                TimestampLtz ts = row.getTimestampLtz(i, ((TimestampType) type).precision());
                return TimestampData.fromEpochMillis(ts.epochMillis(), ts.nanoOfMillisecond());
            }
            default:
                throw new IllegalArgumentException("No conversion for " + type);
        }
    }
}

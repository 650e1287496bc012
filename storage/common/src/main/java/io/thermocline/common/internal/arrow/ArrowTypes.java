package io.thermocline.common.internal.arrow;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.RowType;
import io.thermocline.common.types.TimestampType;

import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;

/** Maps Thermocline types to the Arrow types that hold them in log batches. */
public final class ArrowTypes {
    private ArrowTypes() {}

    public static Schema toArrowSchema(RowType rowType) {
        List<Field> fields = new ArrayList<>(rowType.fieldCount());
        for (DataField field : rowType.fields()) {
            fields.add(toArrowField(field.name(), field.type()));
        }
        return new Schema(fields);
    }

    public static Field toArrowField(String name, DataType type) {
        return new Field(name, new FieldType(type.isNullable(), toArrowType(name, type), null), List.of());
    }

    /** The Arrow time unit that holds a timestamp of that precision without loss. */
    public static TimeUnit timeUnit(int precision) {
        if (precision <= 3) {
            return TimeUnit.MILLISECOND;
        } else if (precision <= 6) {
            return TimeUnit.MICROSECOND;
        }
        return TimeUnit.NANOSECOND;
    }

    private static ArrowType toArrowType(String column, DataType type) {
        switch (type.root()) {
            case BOOLEAN:
                return ArrowType.Bool.INSTANCE;
            case TINYINT:
                return new ArrowType.Int(8, true);
            case SMALLINT:
                return new ArrowType.Int(16, true);
            case INTEGER:
                return new ArrowType.Int(32, true);
            case BIGINT:
                return new ArrowType.Int(64, true);
            case FLOAT:
                return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE:
                return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return new ArrowType.Decimal(decimal.precision(), decimal.scale(), 128);
            case STRING:
                return ArrowType.Utf8.INSTANCE;
            case BYTES:
                return ArrowType.Binary.INSTANCE;
            case DATE:
                return new ArrowType.Date(DateUnit.DAY);
            case TIME_WITHOUT_TIME_ZONE:
                return new ArrowType.Time(TimeUnit.MILLISECOND, 32);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return new ArrowType.Timestamp(timeUnit(((TimestampType) type).precision()), null);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return new ArrowType.Timestamp(timeUnit(((TimestampType) type).precision()), "UTC");
            default:
                throw new SchemaException(
                        "Column `" + column + "` has type " + type
                                + ", which log format version 0 cannot store yet (nested types are planned)");
        }
    }
}

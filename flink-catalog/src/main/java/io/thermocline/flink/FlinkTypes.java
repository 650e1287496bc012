package io.thermocline.flink;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.RowType;
import io.thermocline.common.types.TimestampType;

import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TimeType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

/** Thermocline types as Flink logical types and back; a type without counterpart is a {@link SchemaException}. */
public final class FlinkTypes {
    private FlinkTypes() {}

    /** A row type as Flink's, field by field (not nullable: rows themselves are never null). */
    public static org.apache.flink.table.types.logical.RowType toFlink(RowType rowType) {
        return org.apache.flink.table.types.logical.RowType.of(false,
                rowType.fields().stream().map(field -> toFlink(field.type())).toArray(LogicalType[]::new),
                rowType.fieldNames().toArray(new String[0]));
    }

    public static LogicalType toFlink(DataType type) {
        boolean nullable = type.isNullable();
        switch (type.root()) {
            case BOOLEAN:
                return new BooleanType(nullable);
            case TINYINT:
                return new TinyIntType(nullable);
            case SMALLINT:
                return new SmallIntType(nullable);
            case INTEGER:
                return new IntType(nullable);
            case BIGINT:
                return new BigIntType(nullable);
            case FLOAT:
                return new FloatType(nullable);
            case DOUBLE:
                return new DoubleType(nullable);
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return new org.apache.flink.table.types.logical.DecimalType(nullable, decimal.precision(), decimal.scale());
            case STRING:
                return new VarCharType(nullable, VarCharType.MAX_LENGTH);
            case BYTES:
                return new VarBinaryType(nullable, VarBinaryType.MAX_LENGTH);
            case DATE:
                return new DateType(nullable);
            case TIME_WITHOUT_TIME_ZONE:
                return new TimeType(nullable, 3);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return new org.apache.flink.table.types.logical.TimestampType(nullable,
                        ((TimestampType) type).precision());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return new LocalZonedTimestampType(nullable, ((TimestampType) type).precision());
            default:
                throw new SchemaException("Type " + type + " has no Flink counterpart yet");
        }
    }

    /** @param column named in the error when the type has no Thermocline counterpart */
    public static DataType fromFlink(String column, LogicalType type) {
        DataType result;
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                result = DataTypes.BOOLEAN();
                break;
            case TINYINT:
                result = DataTypes.TINYINT();
                break;
            case SMALLINT:
                result = DataTypes.SMALLINT();
                break;
            case INTEGER:
                result = DataTypes.INT();
                break;
            case BIGINT:
                result = DataTypes.BIGINT();
                break;
            case FLOAT:
                result = DataTypes.FLOAT();
                break;
            case DOUBLE:
                result = DataTypes.DOUBLE();
                break;
            case DECIMAL:
                org.apache.flink.table.types.logical.DecimalType decimal =
                        (org.apache.flink.table.types.logical.DecimalType) type;
                result = DataTypes.DECIMAL(decimal.getPrecision(), decimal.getScale());
                break;
            case CHAR:
            case VARCHAR:
                result = DataTypes.STRING();
                break;
            case BINARY:
            case VARBINARY:
                result = DataTypes.BYTES();
                break;
            case DATE:
                result = DataTypes.DATE();
                break;
            case TIME_WITHOUT_TIME_ZONE:
                result = DataTypes.TIME();
                break;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                result = DataTypes.TIMESTAMP(((org.apache.flink.table.types.logical.TimestampType) type).getPrecision());
                break;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                result = DataTypes.TIMESTAMP_LTZ(((LocalZonedTimestampType) type).getPrecision());
                break;
            default:
                throw new SchemaException("Column `" + column + "` is of Flink type " + type.asSummaryString()
                        + ", which Thermocline does not hold yet");
        }
        return type.isNullable() ? result : result.notNull();
    }
}

package io.thermocline.gateway.meta;

import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ColumnMetaData.Rep;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;

import java.sql.Types;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Flink's SQL types as JDBC sees them through Avatica, and Flink's row values as the values Avatica
 * sends: dates as days, times as milliseconds of the day and timestamps as milliseconds (a
 * TIMESTAMP_LTZ in the session's time zone), DECIMAL as BigDecimal; ARRAY, MAP, ROW and other
 * structured values as text as Flink's SQL client prints them. A streaming query's rows start with
 * an {@code op} column: +I, -U, +U or -D.
 */
final class JdbcTypes {
    static final String CHANGE_COLUMN = "op";

    private JdbcTypes() {}

    /** How one column's values leave the gateway. */
    private record Mapping(ColumnMetaData.AvaticaType type, int precision, int scale, String className,
            boolean asText) {}

    static List<ColumnMetaData> columns(ResolvedSchema schema, boolean changelog) {
        List<ColumnMetaData> columns = new ArrayList<>();
        if (changelog) {
            columns.add(column(0, CHANGE_COLUMN, false, new Mapping(ColumnMetaData.scalar(Types.VARCHAR, "STRING",
                    Rep.STRING), 2, 0, String.class.getName(), false)));
        }
        for (Column column : schema.getColumns()) {
            LogicalType type = column.getDataType().getLogicalType();
            columns.add(column(columns.size(), column.getName(), type.isNullable(), mapping(type)));
        }
        return columns;
    }

    /** Converts rows of a schema to the lists of values Avatica frames hold. */
    static Function<RowData, List<Object>> rowConverter(ResolvedSchema schema, boolean changelog, ZoneId zone,
            Function<RowData, String[]> formatter) {
        List<LogicalType> types = schema.getColumnDataTypes().stream().map(t -> t.getLogicalType()).toList();
        RowData.FieldGetter[] getters = new RowData.FieldGetter[types.size()];
        boolean anyText = false;
        for (int i = 0; i < getters.length; i++) {
            getters[i] = RowData.createFieldGetter(types.get(i), i);
            anyText |= mapping(types.get(i)).asText();
        }
        boolean format = anyText;
        return row -> {
            String[] text = format ? formatter.apply(row) : null;
            List<Object> values = new ArrayList<>(getters.length + 1);
            if (changelog) {
                values.add(row.getRowKind().shortString());
            }
            for (int i = 0; i < getters.length; i++) {
                Object value = getters[i].getFieldOrNull(row);
                values.add(value == null ? null : value(types.get(i), value, zone, text == null ? null : text[i]));
            }
            return values;
        };
    }

    private static Object value(LogicalType type, Object value, ZoneId zone, String text) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return value.toString();
            case DECIMAL:
                return ((DecimalData) value).toBigDecimal();
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return ((TimestampData) value).toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return ((TimestampData) value).toInstant().atZone(zone).toLocalDateTime().toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            case BOOLEAN:
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
            case FLOAT:
            case DOUBLE:
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
            case BINARY:
            case VARBINARY:
                return value;
            default:
                return text;
        }
    }

    private static Mapping mapping(LogicalType type) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return scalar(Types.BOOLEAN, "BOOLEAN", Rep.BOOLEAN, Boolean.class, 1);
            case TINYINT:
                return scalar(Types.TINYINT, "TINYINT", Rep.BYTE, Byte.class, 3);
            case SMALLINT:
                return scalar(Types.SMALLINT, "SMALLINT", Rep.SHORT, Short.class, 5);
            case INTEGER:
                return scalar(Types.INTEGER, "INTEGER", Rep.INTEGER, Integer.class, 10);
            case BIGINT:
                return scalar(Types.BIGINT, "BIGINT", Rep.LONG, Long.class, 19);
            case FLOAT:
                return scalar(Types.REAL, "FLOAT", Rep.FLOAT, Float.class, 7);
            case DOUBLE:
                return scalar(Types.DOUBLE, "DOUBLE", Rep.DOUBLE, Double.class, 15);
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return new Mapping(ColumnMetaData.scalar(Types.DECIMAL, "DECIMAL", Rep.NUMBER), decimal.getPrecision(),
                        decimal.getScale(), java.math.BigDecimal.class.getName(), false);
            case CHAR:
            case VARCHAR:
                return new Mapping(ColumnMetaData.scalar(Types.VARCHAR, type.getTypeRoot().name(), Rep.STRING),
                        LogicalTypeChecks.getLength(type), 0, String.class.getName(), false);
            case BINARY:
            case VARBINARY:
                return new Mapping(ColumnMetaData.scalar(Types.VARBINARY, type.getTypeRoot().name(), Rep.BYTE_STRING),
                        LogicalTypeChecks.getLength(type), 0, byte[].class.getName(), false);
            case DATE:
                return scalar(Types.DATE, "DATE", Rep.INTEGER, java.sql.Date.class, 10);
            case TIME_WITHOUT_TIME_ZONE:
                return scalar(Types.TIME, "TIME", Rep.INTEGER, java.sql.Time.class, 8);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return new Mapping(ColumnMetaData.scalar(Types.TIMESTAMP, type.getTypeRoot() == org.apache.flink.table
                        .types.logical.LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE ? "TIMESTAMP" : "TIMESTAMP_LTZ",
                        Rep.LONG), 23, LogicalTypeChecks.getPrecision(type), java.sql.Timestamp.class.getName(), false);
            default:
                // ARRAY, MAP, ROW, MULTISET, RAW, ...: shown as Flink prints them.
                return new Mapping(ColumnMetaData.scalar(Types.VARCHAR, type.asSummaryString(), Rep.STRING),
                        Integer.MAX_VALUE, 0, String.class.getName(), true);
        }
    }

    private static Mapping scalar(int jdbcType, String name, Rep rep, Class<?> javaClass, int precision) {
        return new Mapping(ColumnMetaData.scalar(jdbcType, name, rep), precision, 0, javaClass.getName(), false);
    }

    private static ColumnMetaData column(int ordinal, String name, boolean nullable, Mapping mapping) {
        return new ColumnMetaData(ordinal, false, true, false, false,
                nullable ? java.sql.DatabaseMetaData.columnNullable : java.sql.DatabaseMetaData.columnNoNulls,
                true, Math.min(mapping.precision(), 1 << 16), name, name, null, mapping.precision(), mapping.scale(),
                null, null, mapping.type(), true, false, false, mapping.className());
    }
}

package io.thermocline.common.metadata;

import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.row.TimestampNtz;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DecimalType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The one text form of partition values, shared by writers (which derive a row's partition) and
 * the coordinator (which canonicalizes values given in DDL), so that {@code 7} and {@code 007}
 * name the same INT partition. A partition's name is {@code key=value/key=value} in partition-key
 * order, with {@code %}, {@code /}, {@code =} and control characters of values escaped as
 * {@code %XX}, so any value is allowed and names never collide.
 */
public final class PartitionValues {
    /** Longest value text accepted, in characters. */
    public static final int MAX_VALUE_LENGTH = 256;

    private PartitionValues() {}

    /** The canonical text of a non-null value of a primitive type, as rows hold it. */
    public static String render(DataType type, Object value) {
        switch (type.root()) {
            case BOOLEAN:
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
            case FLOAT:
            case DOUBLE:
            case STRING:
                return value.toString();
            case DECIMAL:
                return ((BigDecimal) value).setScale(((DecimalType) type).scale(), RoundingMode.UNNECESSARY).toPlainString();
            case BYTES:
                return HexFormat.of().formatHex((byte[]) value);
            case DATE:
                return LocalDate.ofEpochDay((Integer) value).toString();
            case TIME_WITHOUT_TIME_ZONE:
                return LocalTime.ofNanoOfDay((Integer) value * 1_000_000L).toString();
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return ((TimestampNtz) value).toLocalDateTime().toString();
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return ((TimestampLtz) value).toInstant().toString();
            default:
                throw new IllegalArgumentException("Partition values must be of a primitive type, not " + type);
        }
    }

    /**
     * Parses a value given as text (in DDL) and returns its canonical text. Throws
     * {@link InvalidRequestException} naming table, column and type when it does not parse.
     */
    public static String canonical(TablePath table, String column, DataType type, String text) {
        if (text == null) {
            throw new InvalidRequestException("Table " + table + ": partition column `" + column + "` needs a value");
        }
        try {
            return checkLength(render(type, parse(type, text)));
        } catch (ArithmeticException | IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidRequestException("Table " + table + ": partition value '" + text + "' of column `" + column
                    + "` is not a " + type.asSummaryString() + " (" + e.getMessage() + ")");
        }
    }

    /**
     * The value of a partition column from its text, as rows hold it (days for dates, millis of
     * day for times, {@code TimestampNtz}/{@code TimestampLtz} for timestamps, bytes from hex).
     * Throws {@link IllegalArgumentException}, {@link ArithmeticException} or
     * {@link DateTimeParseException} when it does not parse.
     */
    public static Object parse(DataType type, String text) {
        switch (type.root()) {
            case BOOLEAN:
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("not true or false");
                }
                return Boolean.parseBoolean(text);
            case TINYINT:
                return Byte.parseByte(text.trim());
            case SMALLINT:
                return Short.parseShort(text.trim());
            case INTEGER:
                return Integer.parseInt(text.trim());
            case BIGINT:
                return Long.parseLong(text.trim());
            case FLOAT:
                return Float.parseFloat(text.trim());
            case DOUBLE:
                return Double.parseDouble(text.trim());
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                BigDecimal parsed = new BigDecimal(text.trim()).setScale(decimal.scale(), RoundingMode.UNNECESSARY);
                if (parsed.precision() > decimal.precision()) {
                    throw new IllegalArgumentException("more than " + decimal.precision() + " digits");
                }
                return parsed;
            case STRING:
                return text;
            case BYTES:
                return HexFormat.of().parseHex(text.trim());
            case DATE:
                return (int) LocalDate.parse(text.trim()).toEpochDay();
            case TIME_WITHOUT_TIME_ZONE:
                return (int) (LocalTime.parse(text.trim()).toNanoOfDay() / 1_000_000L);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return TimestampNtz.fromLocalDateTime(LocalDateTime.parse(text.trim()));
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return TimestampLtz.fromInstant(Instant.parse(text.trim()));
            default:
                throw new IllegalArgumentException("not a primitive type");
        }
    }

    /** The partition name for values in partition-key order. */
    public static String name(List<String> keys, List<String> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException("Partition keys " + keys + " and values " + values + " differ in number");
        }
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                name.append('/');
            }
            name.append(keys.get(i)).append('=');
            escape(values.get(i), name);
        }
        return name.toString();
    }

    private static void escape(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' || c == '/' || c == '=' || c < 0x20 || c == 0x7f) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append(c);
            }
        }
    }

    private static String checkLength(String text) {
        if (text.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("longer than " + MAX_VALUE_LENGTH + " characters");
        }
        return text;
    }

    /** Reads the partition values of rows of one table, in partition-key order. */
    public static Extractor extractor(TablePath table, Schema schema, List<String> partitionKeys) {
        return new Extractor(table, schema, partitionKeys);
    }

    /** Derives a row's partition values; reuse one per writer. */
    public static final class Extractor {
        private final TablePath table;
        private final List<String> keys;
        private final DataType[] types;
        private final InternalRow.FieldGetter[] getters;

        private Extractor(TablePath table, Schema schema, List<String> keys) {
            this.table = table;
            this.keys = List.copyOf(keys);
            this.types = new DataType[keys.size()];
            this.getters = new InternalRow.FieldGetter[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                int index = schema.columnIndex(keys.get(i));
                types[i] = schema.rowType().typeAt(index);
                getters[i] = InternalRow.fieldGetter(types[i], index);
            }
        }

        /**
         * The row's partition values in partition-key order. Throws {@link InvalidRecordException}
         * naming the column when a partition column is null or its value is too long.
         */
        public List<String> values(InternalRow row) {
            List<String> values = new ArrayList<>(keys.size());
            for (int i = 0; i < getters.length; i++) {
                Object value = getters[i].get(row);
                if (value == null) {
                    throw new InvalidRecordException("Table " + table + ": partition column `" + keys.get(i)
                            + "` is null in a row; every row needs a value for each partition column");
                }
                String text = value instanceof BinaryString ? value.toString() : render(types[i], value);
                if (text.length() > MAX_VALUE_LENGTH) {
                    throw new InvalidRecordException("Table " + table + ": the value of partition column `" + keys.get(i)
                            + "` is longer than " + MAX_VALUE_LENGTH + " characters");
                }
                values.add(text);
            }
            return values;
        }
    }
}

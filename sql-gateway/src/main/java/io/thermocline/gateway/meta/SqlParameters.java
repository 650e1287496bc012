package io.thermocline.gateway.meta;

import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.remote.TypedValue;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.List;
import java.util.TimeZone;

/**
 * Prepared statements over Flink SQL, which has no parameter markers: the {@code ?} outside
 * quotes, identifiers and comments are found at prepare time, and each execution substitutes SQL
 * literals for them (strings quoted and escaped, so a value is never read as SQL).
 */
final class SqlParameters {
    private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

    private SqlParameters() {}

    /** Character positions of the parameter markers. */
    static List<Integer> markers(String sql) {
        List<Integer> markers = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = closing(sql, i, c);
            } else if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 1;
            } else if (c == '?') {
                markers.add(i);
            }
            i++;
        }
        return markers;
    }

    /** A quoted run ends at its quote character not doubled. */
    private static int closing(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return i;
    }

    static List<AvaticaParameter> describe(List<Integer> markers) {
        List<AvaticaParameter> parameters = new ArrayList<>();
        for (int i = 0; i < markers.size(); i++) {
            // Flink does not type markers; any JDBC setter is accepted and sent as a literal.
            parameters.add(new AvaticaParameter(false, 0, 0, java.sql.Types.OTHER, "ANY", Object.class.getName(),
                    "?" + (i + 1)));
        }
        return parameters;
    }

    static String bind(String sql, List<Integer> markers, List<TypedValue> values) throws SQLException {
        if (values.size() != markers.size()) {
            throw new SQLException("The statement has " + markers.size() + " parameter markers but " + values.size()
                    + " values were bound");
        }
        StringBuilder bound = new StringBuilder(sql.length() + 16 * values.size());
        int from = 0;
        for (int i = 0; i < markers.size(); i++) {
            bound.append(sql, from, markers.get(i)).append(literal(values.get(i), i + 1));
            from = markers.get(i) + 1;
        }
        return bound.append(sql.substring(from)).toString();
    }

    /** The bound values as JDBC objects (null for a NULL), what a prepared statement's plan is learned from. */
    static List<Object> values(List<TypedValue> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (TypedValue value : values) {
            out.add(value == null || value.value == null ? null : value.toJdbc(UTC));
        }
        return out;
    }

    private static String literal(TypedValue value, int index) throws SQLException {
        if (value == null || value.value == null) {
            return "NULL";
        }
        Object jdbc = value.toJdbc(UTC);
        switch (value.type) {
            case STRING:
            case CHARACTER:
                return "'" + jdbc.toString().replace("'", "''") + "'";
            case BOOLEAN:
            case PRIMITIVE_BOOLEAN:
                return ((Boolean) jdbc) ? "TRUE" : "FALSE";
            case BYTE:
            case PRIMITIVE_BYTE:
            case SHORT:
            case PRIMITIVE_SHORT:
            case INTEGER:
            case PRIMITIVE_INT:
            case LONG:
            case PRIMITIVE_LONG:
                return jdbc.toString();
            case FLOAT:
            case PRIMITIVE_FLOAT:
            case DOUBLE:
            case PRIMITIVE_DOUBLE:
                return "CAST(" + jdbc + " AS DOUBLE)";
            case NUMBER:
                return jdbc instanceof BigDecimal ? ((BigDecimal) jdbc).toPlainString() : jdbc.toString();
            case JAVA_SQL_DATE:
                return "DATE '" + LocalDate.ofEpochDay(Math.floorDiv(((java.util.Date) jdbc).getTime(), 86_400_000L))
                        + "'";
            case JAVA_SQL_TIME:
                return "TIME '" + LocalTime.ofNanoOfDay(Math.floorMod(((java.util.Date) jdbc).getTime(), 86_400_000L)
                        * 1_000_000L) + "'";
            case JAVA_SQL_TIMESTAMP:
            case JAVA_UTIL_DATE:
                LocalDateTime timestamp = LocalDateTime.ofEpochSecond(Math.floorDiv(((java.util.Date) jdbc).getTime(),
                        1000L), (int) Math.floorMod(((java.util.Date) jdbc).getTime(), 1000L) * 1_000_000, ZoneOffset.UTC);
                return "TIMESTAMP '" + timestamp.toString().replace('T', ' ') + "'";
            case BYTE_STRING:
                return "X'" + HexFormat.of().formatHex((byte[]) jdbc) + "'";
            default:
                throw new SQLException("Parameter " + index + " has type " + value.type + ", which cannot be bound"
                        + " (bind strings, numbers, booleans, dates, times, timestamps or bytes)");
        }
    }
}

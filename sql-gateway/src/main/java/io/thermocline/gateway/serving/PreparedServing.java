package io.thermocline.gateway.serving;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one prepared statement learned of its plan, so that executing it again only binds and
 * looks up. Flink SQL has no parameter markers, so each execution is planned with its values as
 * literals until two planned executions with different values of every parameter give served
 * queries of one shape whose key values are exactly those parameters (and the same constants):
 * from then on a new execution's key values are its parameters, converted to the key columns'
 * types, without planning. A parameter that is not a key value (in a projection or another
 * filter), a NULL, or a value that does not convert exactly keeps the statement planned. Forgotten
 * when the session changes (USE, SET, DDL: its generation) or a served execution fails. Guarded
 * by its connection's lock.
 */
public final class PreparedServing {
    private List<Object> lastParameters;
    private ServedQuery lastQuery;
    private long lastGeneration = -1;
    private Template template;

    /**
     * Where a key column's values come from: these parameters (by position), then these constants.
     */
    private record Source(List<Integer> parameters, Set<Object> constants) {}

    private record Template(ServedQuery query, List<Source> sources, int parameters, long generation) {}

    /** The served query of these parameter values (JDBC values), if this statement has learned its plan. */
    public Optional<ServedQuery> bind(List<Object> parameters, long generation) {
        if (template == null || template.generation() != generation || parameters.size() != template.parameters()) {
            return Optional.empty(); // a wrong count of values is the planned path's error to report
        }
        List<LogicalType> types = template.query().keyTypes();
        List<List<Object>> values = new ArrayList<>();
        long lookups = 1;
        for (int c = 0; c < types.size(); c++) {
            Source source = template.sources().get(c);
            List<Object> column = new ArrayList<>();
            for (int j : source.parameters()) {
                Object value = convert(parameters.get(j), types.get(c));
                if (value == null) {
                    return Optional.empty();
                }
                column.add(value);
            }
            column.addAll(source.constants());
            values.add(column);
            lookups *= new HashSet<>(column).size();
        }
        if (lookups > ServingPlanner.MAX_LOOKUPS) {
            return Optional.empty();
        }
        return Optional.of(template.query().withKeyValues(values));
    }

    /**
     * Learns from an execution that was planned: {@code query} is what the plan served, or null
     * when it ran as a Flink job.
     */
    public void observe(List<Object> parameters, ServedQuery query, long generation) {
        if (query != null && lastQuery != null && generation == lastGeneration
                && query.shape().equals(lastQuery.shape())) {
            List<Source> sources = learn(lastParameters, lastQuery, parameters, query);
            template = sources == null ? null : new Template(query, sources, parameters.size(), generation);
        }
        lastParameters = List.copyOf(nullSafe(parameters));
        lastQuery = query;
        lastGeneration = generation;
    }

    /** Plans every execution again until the statement learns anew. */
    public void forget() {
        template = null;
        lastQuery = null;
    }

    private static List<Source> learn(List<Object> first, ServedQuery firstQuery, List<Object> second,
            ServedQuery secondQuery) {
        int n = first.size();
        if (n == 0 || second.size() != n || new HashSet<>(first).size() != n || new HashSet<>(second).size() != n) {
            return null; // no parameters, or two with one value: which is which cannot be told
        }
        for (int j = 0; j < n; j++) {
            if (first.get(j) == NULL || second.get(j) == NULL || first.get(j).equals(second.get(j))) {
                return null;
            }
        }
        List<LogicalType> types = secondQuery.keyTypes();
        List<Source> sources = new ArrayList<>();
        boolean[] used = new boolean[n];
        for (int c = 0; c < types.size(); c++) {
            Set<Object> firstValues = new HashSet<>(firstQuery.keyValues().get(c));
            Set<Object> secondValues = new HashSet<>(secondQuery.keyValues().get(c));
            List<Integer> parameters = new ArrayList<>();
            Set<Object> fromFirst = new HashSet<>();
            Set<Object> fromSecond = new HashSet<>();
            for (int j = 0; j < n; j++) {
                Object a = convert(first.get(j), types.get(c));
                Object b = convert(second.get(j), types.get(c));
                if (a != null && b != null && firstValues.contains(a) && secondValues.contains(b)) {
                    if (used[j]) {
                        return null; // one parameter seemingly in two key columns
                    }
                    used[j] = true;
                    parameters.add(j);
                    fromFirst.add(a);
                    fromSecond.add(b);
                }
            }
            Set<Object> constants = new LinkedHashSet<>(firstValues);
            constants.removeAll(fromFirst);
            Set<Object> more = new HashSet<>(secondValues);
            more.removeAll(fromSecond);
            constants.addAll(more);
            if (!union(fromFirst, constants).equals(firstValues) || !union(fromSecond, constants).equals(secondValues)) {
                return null;
            }
            sources.add(new Source(List.copyOf(parameters), Set.copyOf(constants)));
        }
        for (boolean u : used) {
            if (!u) {
                return null; // a parameter the keys do not show: it may be anywhere in the plan
            }
        }
        return sources;
    }

    private static Set<Object> union(Set<Object> a, Set<Object> b) {
        Set<Object> union = new HashSet<>(a);
        union.addAll(b);
        return union;
    }

    /** Stands for a NULL parameter in the values remembered (List.copyOf refuses nulls). */
    private static final Object NULL = new Object();

    private static List<Object> nullSafe(List<Object> values) {
        List<Object> out = new ArrayList<>(values.size());
        values.forEach(v -> out.add(v == null ? NULL : v));
        return out;
    }

    /**
     * A JDBC parameter value as the Flink internal value of a key column's type, when the literal
     * the gateway writes for it means exactly that value; null otherwise.
     */
    static Object convert(Object value, LogicalType type) {
        if (value == null || value == NULL) {
            return null;
        }
        switch (type.getTypeRoot()) {
            case TINYINT: {
                Long v = integral(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
                return v == null ? null : (Object) v.byteValue();
            }
            case SMALLINT: {
                Long v = integral(value, Short.MIN_VALUE, Short.MAX_VALUE);
                return v == null ? null : (Object) v.shortValue();
            }
            case INTEGER: {
                Long v = integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
                return v == null ? null : (Object) v.intValue();
            }
            case BIGINT:
                return integral(value, Long.MIN_VALUE, Long.MAX_VALUE);
            case DECIMAL: {
                BigDecimal decimal = exactDecimal(value);
                DecimalType decimalType = (DecimalType) type;
                if (decimal == null || decimal.scale() > decimalType.getScale()) {
                    return null;
                }
                return DecimalData.fromBigDecimal(decimal, decimalType.getPrecision(), decimalType.getScale());
            }
            case VARCHAR:
                return value instanceof String s ? StringData.fromString(s) : null;
            case BOOLEAN:
                return value instanceof Boolean b ? b : null;
            default:
                return null; // dates, times, binary, CHAR(n), floating point: planned every time
        }
    }

    private static Long integral(Object value, long min, long max) {
        BigDecimal decimal = exactDecimal(value);
        if (decimal == null) {
            return null;
        }
        try {
            BigInteger integer = decimal.toBigIntegerExact();
            return integer.compareTo(BigInteger.valueOf(min)) >= 0 && integer.compareTo(BigInteger.valueOf(max)) <= 0
                    ? integer.longValue() : null;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static BigDecimal exactDecimal(Object value) {
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        return null; // floating point is bound as a DOUBLE literal; strings are not numbers
    }
}

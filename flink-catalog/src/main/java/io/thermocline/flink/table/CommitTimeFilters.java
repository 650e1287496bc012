package io.thermocline.flink.table;

import io.thermocline.flink.source.CommitTimeRange;

import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Filters comparing the commit-time metadata column with a constant ({@code >=}, {@code >},
 * {@code <}, {@code <=}, {@code =}) as a commit-time range. Commit times are whole milliseconds.
 */
final class CommitTimeFilters {
    private CommitTimeFilters() {}

    /** The range one filter allows; empty when it is not such a comparison (or names no commit-time column). */
    static Optional<CommitTimeRange> range(ResolvedExpression filter, String column) {
        if (column == null || !(filter instanceof CallExpression)) {
            return Optional.empty();
        }
        CallExpression call = (CallExpression) filter;
        List<ResolvedExpression> args = call.getResolvedChildren();
        FunctionDefinition function = call.getFunctionDefinition();
        if (function == BuiltInFunctionDefinitions.AND) {
            // Flink may hand a range over as one conjunction: each part that is a comparison narrows it.
            CommitTimeRange range = null;
            for (ResolvedExpression part : args) {
                Optional<CommitTimeRange> narrowed = range(part, column);
                if (narrowed.isPresent()) {
                    range = range == null ? narrowed.get() : range.intersect(narrowed.get());
                }
            }
            return Optional.ofNullable(range);
        }
        if (args.size() != 2) {
            return Optional.empty();
        }
        boolean fieldFirst = isColumn(args.get(0), column);
        if (!fieldFirst && !isColumn(args.get(1), column)) {
            return Optional.empty();
        }
        Optional<Long> millis = millis(args.get(fieldFirst ? 1 : 0));
        if (millis.isEmpty()) {
            return Optional.empty();
        }
        long t = millis.get();
        if (function == BuiltInFunctionDefinitions.EQUALS) {
            return Optional.of(new CommitTimeRange(t, t + 1));
        }
        // With the constant first, "c < column" is "column > c".
        boolean greater = (function == BuiltInFunctionDefinitions.GREATER_THAN
                || function == BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL) == fieldFirst;
        boolean inclusive = function == BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL
                || function == BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL;
        boolean comparison = inclusive || function == BuiltInFunctionDefinitions.GREATER_THAN
                || function == BuiltInFunctionDefinitions.LESS_THAN;
        if (!comparison) {
            return Optional.empty();
        }
        return Optional.of(greater ? new CommitTimeRange(inclusive ? t : t + 1, null)
                : new CommitTimeRange(null, inclusive ? t + 1 : t));
    }

    /** Names of the columns a filter reads. */
    static Set<String> columns(ResolvedExpression filter) {
        Set<String> names = new LinkedHashSet<>();
        collect(filter, names);
        return names;
    }

    private static void collect(ResolvedExpression expression, Set<String> names) {
        if (expression instanceof FieldReferenceExpression) {
            names.add(((FieldReferenceExpression) expression).getName());
        }
        expression.getResolvedChildren().forEach(child -> collect(child, names));
    }

    /** The column itself, or a cast of it to TIMESTAMP_LTZ (Flink casts away its NOT NULL). */
    private static boolean isColumn(ResolvedExpression expression, String column) {
        if (expression instanceof CallExpression
                && ((CallExpression) expression).getFunctionDefinition() == BuiltInFunctionDefinitions.CAST
                && expression.getOutputDataType().getLogicalType().getTypeRoot()
                        == LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
            return isColumn(expression.getResolvedChildren().get(0), column);
        }
        return expression instanceof FieldReferenceExpression
                && ((FieldReferenceExpression) expression).getName().equals(column);
    }

    private static Optional<Long> millis(ResolvedExpression expression) {
        if (!(expression instanceof ValueLiteralExpression)) {
            return Optional.empty();
        }
        return ((ValueLiteralExpression) expression).getValueAs(Instant.class).map(Instant::toEpochMilli);
    }
}

package io.thermocline.flink.table;

import io.thermocline.common.types.RowType;

import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A filter that fixes one column to a few values: {@code c = v}, {@code c IN (v1, v2)}, or an OR
 * of equalities on {@code c}, each literal of the column's exact type (any string for a VARCHAR
 * column).
 */
record KeyEquality(int column, List<ValueLiteralExpression> literals) {

    static Optional<KeyEquality> of(ResolvedExpression filter, RowType rowType) {
        if (!(filter instanceof CallExpression)) {
            return Optional.empty();
        }
        CallExpression call = (CallExpression) filter;
        List<ResolvedExpression> args = call.getResolvedChildren();
        if (call.getFunctionDefinition() == BuiltInFunctionDefinitions.EQUALS) {
            for (int i = 0; i < 2; i++) {
                Optional<KeyEquality> single = single(args.get(i), List.of(args.get(1 - i)), rowType);
                if (single.isPresent()) {
                    return single;
                }
            }
        } else if (call.getFunctionDefinition() == BuiltInFunctionDefinitions.IN) {
            return single(args.get(0), args.subList(1, args.size()), rowType);
        } else if (call.getFunctionDefinition() == BuiltInFunctionDefinitions.OR) {
            Integer column = null;
            List<ValueLiteralExpression> literals = new ArrayList<>();
            for (ResolvedExpression arg : args) {
                Optional<KeyEquality> part = of(arg, rowType);
                if (part.isEmpty() || (column != null && column != part.get().column())) {
                    return Optional.empty();
                }
                column = part.get().column();
                literals.addAll(part.get().literals());
            }
            return Optional.of(new KeyEquality(column, literals));
        }
        return Optional.empty();
    }

    private static Optional<KeyEquality> single(ResolvedExpression field, List<ResolvedExpression> values,
            RowType rowType) {
        if (!(field instanceof FieldReferenceExpression)) {
            return Optional.empty();
        }
        FieldReferenceExpression reference = (FieldReferenceExpression) field;
        int column = rowType.fieldIndex(reference.getName());
        if (column < 0) {
            return Optional.empty();
        }
        List<ValueLiteralExpression> literals = new ArrayList<>();
        for (ResolvedExpression value : values) {
            if (!(value instanceof ValueLiteralExpression) || ((ValueLiteralExpression) value).isNull()
                    || !sameValues(value.getOutputDataType().getLogicalType(),
                            reference.getOutputDataType().getLogicalType())) {
                return Optional.empty();
            }
            literals.add((ValueLiteralExpression) value);
        }
        return Optional.of(new KeyEquality(column, literals));
    }

    /**
     * Whether a literal of one type names a value of a column of the other as it is: the same type,
     * or a string literal of any length for a VARCHAR column (the planner types string literals by
     * their length, as CHAR or VARCHAR, and a VARCHAR compares as its characters).
     */
    private static boolean sameValues(LogicalType literal, LogicalType column) {
        return literal.copy(true).equals(column.copy(true))
                || (literal.is(LogicalTypeFamily.CHARACTER_STRING) && column.getTypeRoot() == LogicalTypeRoot.VARCHAR);
    }
}

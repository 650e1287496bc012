package io.thermocline.flink.table;

import io.thermocline.common.types.RowType;

import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;

import java.util.List;
import java.util.Optional;

/** A filter {@code column = literal} (either way round) whose literal has the column's exact type. */
record KeyEquality(int column, ValueLiteralExpression literal) {

    static Optional<KeyEquality> of(ResolvedExpression filter, RowType rowType) {
        if (!(filter instanceof CallExpression)
                || ((CallExpression) filter).getFunctionDefinition() != BuiltInFunctionDefinitions.EQUALS) {
            return Optional.empty();
        }
        List<ResolvedExpression> args = ((CallExpression) filter).getResolvedChildren();
        for (int i = 0; i < 2; i++) {
            if (args.get(i) instanceof FieldReferenceExpression && args.get(1 - i) instanceof ValueLiteralExpression) {
                FieldReferenceExpression field = (FieldReferenceExpression) args.get(i);
                ValueLiteralExpression literal = (ValueLiteralExpression) args.get(1 - i);
                int column = rowType.fieldIndex(field.getName());
                boolean sameType = column >= 0 && !literal.isNull() && literal.getOutputDataType().getLogicalType()
                        .copy(true).equals(field.getOutputDataType().getLogicalType().copy(true));
                return sameType ? Optional.of(new KeyEquality(column, literal)) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}

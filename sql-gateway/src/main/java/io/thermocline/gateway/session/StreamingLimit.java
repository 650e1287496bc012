package io.thermocline.gateway.session;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rex.RexLiteral;
import org.apache.flink.table.operations.Operation;
import org.apache.flink.table.planner.operations.PlannerQueryOperation;

import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code LIMIT n} of a streaming query that can end once it has sent {@code n} rows. Flink
 * keeps such a job running forever unless the limit reaches a source (a join stops it), so a JDBC
 * client would wait on a result that never ends. Only a top-level LIMIT without ORDER BY or
 * OFFSET counts: its first {@code n} rows are its whole answer.
 */
final class StreamingLimit {
    private StreamingLimit() {}

    static OptionalLong of(List<Operation> operations) {
        if (operations.size() != 1 || !(operations.get(0) instanceof PlannerQueryOperation query)) {
            return OptionalLong.empty();
        }
        RelNode node = query.getCalciteTree();
        while (node instanceof Project) {
            node = node.getInput(0);
        }
        if (node instanceof Sort sort && sort.fetch instanceof RexLiteral fetch && sort.offset == null
                && sort.getCollation().getFieldCollations().isEmpty()) {
            return OptionalLong.of(RexLiteral.intValue(fetch));
        }
        return OptionalLong.empty();
    }
}

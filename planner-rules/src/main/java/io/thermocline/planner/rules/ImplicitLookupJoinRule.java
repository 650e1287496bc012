package io.thermocline.planner.rules;

import io.thermocline.flink.catalog.ThermoclineCatalog;
import io.thermocline.planner.PlannerOptions;

import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.hep.HepRelVertex;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSnapshot;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.flink.table.catalog.ContextResolvedTable;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.planner.functions.sql.FlinkSqlOperatorTable;
import org.apache.flink.table.planner.plan.schema.TableSourceTable;
import org.apache.flink.table.planner.utils.ShortcutUtils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A streaming equi-join whose right side is a Thermocline primary-key table, joined on columns
 * that cover its primary key (or the bucket key leading it), becomes a lookup join: the right side
 * is read as of the processing time of each left row, from the KV tablets, instead of being kept
 * in join state. Enabled by {@link PlannerOptions#IMPLICIT_LOOKUP_JOIN}.
 *
 * <p>The rewritten join has the shape {@code FOR SYSTEM_TIME AS OF} leaves after decorrelation, so
 * Flink's own lookup-join rules take over from there.
 */
public final class ImplicitLookupJoinRule extends RelOptRule {
    public static final ImplicitLookupJoinRule INSTANCE = new ImplicitLookupJoinRule();

    @SuppressWarnings("deprecation") // RelRule's generated configs need annotation processing
    private ImplicitLookupJoinRule() {
        super(operand(LogicalJoin.class, any()), "ThermoclineImplicitLookupJoinRule");
    }

    @Override
    public boolean matches(RelOptRuleCall call) {
        LogicalJoin join = call.rel(0);
        if (!ShortcutUtils.unwrapTableConfig(join).get(PlannerOptions.IMPLICIT_LOOKUP_JOIN)
                || ShortcutUtils.unwrapContext(join).isBatchMode()
                || (join.getJoinType() != JoinRelType.INNER && join.getJoinType() != JoinRelType.LEFT)) {
            return false;
        }
        JoinInfo keys = join.analyzeCondition();
        if (keys.rightKeys.isEmpty()) {
            return false;
        }
        return lookupTable(unwrap(join.getRight()))
                .map(table -> coversKey(table, columnNames(unwrap(join.getRight()), keys.rightKeys.toIntArray())))
                .orElse(false);
    }

    /**
     * {@code Join(left, right)} becomes {@code Project(Join(left + PROCTIME() AS t, Snapshot(right,
     * AS OF t)))}: the snapshot's time is a field of the left row, as for {@code FOR SYSTEM_TIME AS
     * OF}, and the projection drops it again.
     */
    @Override
    public void onMatch(RelOptRuleCall call) {
        LogicalJoin join = call.rel(0);
        RelOptCluster cluster = join.getCluster();
        RexBuilder rex = cluster.getRexBuilder();
        RelNode left = join.getLeft();
        int leftCount = left.getRowType().getFieldCount();
        List<RexNode> withTime = new ArrayList<>(rex.identityProjects(left.getRowType()));
        withTime.add(rex.makeCall(FlinkSqlOperatorTable.PROCTIME));
        List<String> names = new ArrayList<>(left.getRowType().getFieldNames());
        names.add("__lookup_time");
        RelNode timed = call.builder().push(left).project(withTime, SqlValidatorUtil.uniquify(names, false)).build();
        RexNode period = rex.makeFieldAccess(rex.makeCorrel(timed.getRowType(), cluster.createCorrel()), leftCount);
        RelNode snapshot = LogicalSnapshot.create(join.getRight(), period);
        RexNode condition = RexUtil.shift(join.getCondition(), leftCount, 1);
        RelNode lookup = join.copy(join.getTraitSet(), condition, timed, snapshot, join.getJoinType(), join.isSemiJoinDone());
        List<RexNode> output = new ArrayList<>();
        for (int i = 0; i < lookup.getRowType().getFieldCount(); i++) {
            if (i != leftCount) {
                output.add(rex.makeInputRef(lookup, i));
            }
        }
        call.transformTo(call.builder().push(lookup).project(output, join.getRowType().getFieldNames()).build());
    }

    /** The Thermocline primary-key table a scan (or a projection of one) reads; not its $lake or $changelog views. */
    private static Optional<ContextResolvedTable> lookupTable(RelNode right) {
        RelNode node = right instanceof LogicalProject ? unwrap(((LogicalProject) right).getInput()) : right;
        if (!(node instanceof LogicalTableScan) || !(node.getTable() instanceof TableSourceTable)) {
            return Optional.empty();
        }
        ContextResolvedTable table = ((TableSourceTable) node.getTable()).contextResolvedTable();
        boolean thermocline = table.getCatalog().filter(c -> c instanceof ThermoclineCatalog).isPresent()
                && !table.getIdentifier().getObjectName().contains("$");
        return thermocline && table.getResolvedSchema().getPrimaryKey().isPresent() ? Optional.of(table) : Optional.empty();
    }

    /** Names of the scanned columns that right-side fields are, or null when one is computed. */
    private static Set<String> columnNames(RelNode right, int[] fields) {
        Set<String> names = new HashSet<>();
        RelNode scan = right;
        for (int field : fields) {
            int column = field;
            if (right instanceof LogicalProject) {
                RexNode expression = ((LogicalProject) right).getProjects().get(field);
                if (!(expression instanceof RexInputRef)) {
                    return null;
                }
                column = ((RexInputRef) expression).getIndex();
                scan = unwrap(((LogicalProject) right).getInput());
            }
            names.add(scan.getRowType().getFieldNames().get(column));
        }
        return names;
    }

    /** Whether the joined columns fix the primary key, or the bucket key leading it (a prefix lookup). */
    private static boolean coversKey(ContextResolvedTable table, Set<String> joined) {
        if (joined == null) {
            return false;
        }
        List<String> key = table.getResolvedSchema().getPrimaryKey().map(UniqueConstraint::getColumns).orElseThrow();
        if (joined.containsAll(key)) {
            return true;
        }
        String bucketKey = table.getResolvedTable().getOptions().get(ThermoclineCatalog.BUCKET_KEY);
        if (bucketKey == null) {
            return false;
        }
        List<String> bucketColumns = Arrays.stream(bucketKey.split(",")).map(String::trim).toList();
        return bucketColumns.size() < key.size() && key.subList(0, bucketColumns.size()).equals(bucketColumns)
                && joined.containsAll(bucketColumns);
    }

    private static RelNode unwrap(RelNode node) {
        return node instanceof HepRelVertex ? ((HepRelVertex) node).getCurrentRel() : node;
    }
}

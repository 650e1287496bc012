package io.thermocline.gateway.serving;

import io.thermocline.flink.source.RowMetadata;
import io.thermocline.flink.table.ServableRead;
import io.thermocline.flink.table.ServableScan;
import io.thermocline.flink.table.ServableSource;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.util.Sarg;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.conversion.DataStructureConverter;
import org.apache.flink.table.data.conversion.DataStructureConverters;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinition;
import org.apache.flink.table.operations.QueryOperation;
import org.apache.flink.table.planner.calcite.FlinkTypeFactory;
import org.apache.flink.table.planner.codegen.CalcCodeGenerator$;
import org.apache.flink.table.planner.delegation.PlannerBase;
import org.apache.flink.table.planner.functions.bridging.BridgingSqlFunction;
import org.apache.flink.table.planner.operations.PlannerQueryOperation;
import org.apache.flink.table.planner.plan.nodes.physical.batch.BatchPhysicalCalc;
import org.apache.flink.table.planner.plan.nodes.physical.batch.BatchPhysicalExchange;
import org.apache.flink.table.planner.plan.nodes.physical.batch.BatchPhysicalLimit;
import org.apache.flink.table.planner.plan.nodes.physical.batch.BatchPhysicalSortLimit;
import org.apache.flink.table.planner.plan.nodes.physical.batch.BatchPhysicalTableSourceScan;
import org.apache.flink.table.types.logical.RowType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides, from the plan Flink's optimizer makes of a batch query, whether the gateway answers it
 * itself: the optimized plan must be a projection and filter ({@code Calc}) of one Thermocline
 * primary-key table whose pushed filters fix the whole primary key, or the bucket key leading
 * it, to at most {@value #MAX_LOOKUPS} values, or such a Calc of a log table under a LIMIT of at
 * most {@value #MAX_SCAN_ROWS} rows without ORDER BY; with no user-defined or time functions.
 * Flink's parser, validator and optimizer decide what the query means; only how it runs changes.
 */
public final class ServingPlanner {
    /** Most keys (or prefixes) one served query looks up; more run as a Flink job. */
    static final int MAX_LOOKUPS = 10_000;
    /** Most rows a served LIMIT reads; more run as a Flink job. */
    static final int MAX_SCAN_ROWS = 10_000;

    private ServingPlanner() {}

    /** How a query runs: served by the gateway (its query), or as a Flink job (and why). */
    public record Decision(ServedStatement served, String reason) {
        public boolean isServed() {
            return served != null;
        }

        public static Decision flink(String reason) {
            return new Decision(null, reason);
        }

        /** What EXPLAIN shows. */
        public String describe() {
            return isServed() ? "served by the gateway without a Flink job: " + served.describe()
                    : "a Flink job: " + reason;
        }
    }

    public static Decision plan(TableEnvironmentInternal env, QueryOperation query) {
        if (!(query instanceof PlannerQueryOperation planned)) {
            return Decision.flink("not a SQL query");
        }
        String shape = logicalShapeProblem(planned.getCalciteTree());
        if (shape != null) {
            return Decision.flink(shape);
        }
        PlannerBase planner = (PlannerBase) ((TableEnvironmentImpl) env).getPlanner();
        planner.beforeTranslation(); // sets what the optimizer and generated code read (query start time, ...)
        try {
            RelNode optimized = planner.optimize(planner.createRelBuilder().queryOperation(query).build());
            return match(optimized, query.getResolvedSchema(), planner);
        } finally {
            planner.afterTranslation();
        }
    }

    /**
     * A cheap look before optimizing: only projections and filters over one table (under a LIMIT)
     * can be served.
     */
    private static String logicalShapeProblem(RelNode node) {
        if (node instanceof LogicalSort sort && sort.fetch != null) {
            node = sort.getInput();
        }
        return projectionsAndFiltersProblem(node);
    }

    private static String projectionsAndFiltersProblem(RelNode node) {
        if (node instanceof LogicalTableScan) {
            return null;
        }
        if (node instanceof LogicalProject || node instanceof LogicalFilter) {
            return projectionsAndFiltersProblem(node.getInput(0));
        }
        return "it " + describeNode(node) + ", more than projecting and filtering one table";
    }

    private static String describeNode(RelNode node) {
        String name = node.getRelTypeName().replace("Logical", "").toLowerCase(java.util.Locale.ROOT);
        return "has " + ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    private static Decision match(RelNode optimized, ResolvedSchema schema, PlannerBase planner) {
        RelNode node = optimized;
        long limit = -1;
        RelFieldCollation collation = null;
        BatchPhysicalCalc above = null; // a Calc over a LIMIT (projections Flink leaves above it)
        if (node instanceof BatchPhysicalCalc c
                && (c.getInput() instanceof BatchPhysicalLimit || c.getInput() instanceof BatchPhysicalSortLimit)) {
            above = c;
            node = c.getInput();
        }
        if ((node instanceof BatchPhysicalLimit global && global.isGlobal()) || node instanceof BatchPhysicalSortLimit) {
            Sort sort = (Sort) node; // Calcite's fields (the Scala subclasses hide them)
            if (sort.offset != null && RexLiteral.intValue(sort.offset) != 0 || sort.fetch == null) {
                return Decision.flink("it has an OFFSET");
            }
            List<RelFieldCollation> fields = sort.getCollation().getFieldCollations();
            if (fields.size() > 1) {
                return Decision.flink("it orders by more than one column");
            }
            collation = fields.isEmpty() ? null : fields.get(0);
            limit = RexLiteral.intValue(sort.fetch);
            node = sort.getInput();
            if (node instanceof BatchPhysicalExchange exchange) {
                node = exchange.getInput();
            }
            if (node instanceof BatchPhysicalLimit || node instanceof BatchPhysicalSortLimit) {
                node = node.getInput(0); // the local half of the LIMIT
            }
        }
        BatchPhysicalCalc calc = null;
        if (node instanceof BatchPhysicalCalc c) {
            calc = c;
            node = c.getInput();
        }
        if (!(node instanceof BatchPhysicalTableSourceScan scan)) {
            return Decision.flink("its optimized plan is more than a projection and filter of one table");
        }
        if (!(scan.tableSource() instanceof ServableSource source)) {
            return Decision.flink("it reads a table of another connector");
        }
        return limit >= 0 ? scan(source, limit, collation, calc, above, scan, schema, planner)
                : lookups(source, calc, scan, schema, planner);
    }

    /** Filters that fix keys: KV lookups. */
    private static Decision lookups(ServableSource source, BatchPhysicalCalc calc, BatchPhysicalTableSourceScan scan,
            ResolvedSchema schema, PlannerBase planner) {
        ServableRead read = source.servableRead().orElse(null);
        if (read == null) {
            return Decision.flink("it is not a read of a primary-key table's current rows without LIMIT or"
                    + " metadata columns");
        }
        int[] primaryKey = read.primaryKey();
        int[] bucketKey = read.bucketKey();
        ServedQuery.Kind kind;
        int[] keyColumns;
        if (Arrays.stream(primaryKey).allMatch(read.fixedColumns()::containsKey)) {
            kind = ServedQuery.Kind.POINT;
            keyColumns = primaryKey;
        } else if (read.bucketKeyLeads() && Arrays.stream(bucketKey).allMatch(read.fixedColumns()::containsKey)) {
            kind = ServedQuery.Kind.PREFIX;
            keyColumns = bucketKey;
        } else {
            return Decision.flink("its filters fix neither the whole primary key " + names(read, primaryKey)
                    + (read.bucketKeyLeads() ? " nor the bucket key " + names(read, bucketKey) + " that leads it" : "")
                    + " to a few values");
        }
        List<List<Object>> values = new ArrayList<>();
        long lookups = 1;
        for (int column : keyColumns) {
            List<Object> internal = new ArrayList<>();
            for (ValueLiteralExpression literal : read.fixedColumns().get(column)) {
                internal.add(internalValue(literal));
            }
            values.add(internal);
            lookups *= internal.size();
        }
        if (lookups > MAX_LOOKUPS) {
            return Decision.flink("it would make " + lookups + " lookups, more than " + MAX_LOOKUPS);
        }
        int[] emitted = read.emittedColumns();
        String problem = problem(scan, emitted.length, calc, null);
        if (problem != null) {
            return Decision.flink(problem);
        }
        GeneratedCalc generated = calc == null ? null : rest(calc, emitted, keyColumns, planner);
        return new Decision(new ServedQuery(read.path(), read.rowType(), emitted, kind, keyColumns, values, generated,
                schema), null);
    }

    /** {@code LIMIT n} of a log table: its buckets' first rows. */
    private static Decision scan(ServableSource source, long limit, RelFieldCollation collation,
            BatchPhysicalCalc calc, BatchPhysicalCalc above, BatchPhysicalTableSourceScan scan, ResolvedSchema schema,
            PlannerBase planner) {
        ServableScan read = source.servableScan().orElse(null);
        if (read == null) {
            return Decision.flink("it is a LIMIT, served only for log tables without partitions or changelog views");
        }
        ServedScan.Order order = null;
        if (collation != null) {
            order = order(collation, calc, scan, read);
            if (order == null) {
                return Decision.flink("it orders by something other than a commit_timestamp or offset metadata"
                        + " column");
            }
        }
        if (limit > MAX_SCAN_ROWS) {
            return Decision.flink("its LIMIT " + limit + " is more than " + MAX_SCAN_ROWS + " rows");
        }
        int[] emitted = read.emittedColumns();
        String problem = problem(scan, emitted.length + read.metadata().size(), calc, above);
        if (problem != null) {
            return Decision.flink(problem);
        }
        GeneratedCalc below = calc == null ? null : rest(calc, emitted, new int[0], planner);
        GeneratedCalc after = above == null ? null : rest(above, new int[0], new int[0], planner);
        return new Decision(new ServedScan(read.path(), read.rowType(), read.projection(), read.metadata(), limit,
                order, below, after, schema), null);
    }

    /**
     * The order of an ordered LIMIT when it is by a metadata column that grows along each bucket's
     * log (commit time, offset), passed through the Calc below it unchanged; null otherwise.
     */
    private static ServedScan.Order order(RelFieldCollation collation, BatchPhysicalCalc calc,
            BatchPhysicalTableSourceScan scan, ServableScan read) {
        int field = collation.getFieldIndex();
        int scanField = field;
        if (calc != null) {
            RexNode projected = calc.getProgram().expandLocalRef(calc.getProgram().getProjectList().get(field));
            if (projected instanceof RexCall cast && cast.getKind() == SqlKind.CAST
                    && cast.getType().equals(calc.getCluster().getTypeFactory().createTypeWithNullability(
                            cast.getOperands().get(0).getType(), cast.getType().isNullable()))) {
                projected = cast.getOperands().get(0); // the metadata column made nullable: the same values
            }
            if (!(projected instanceof RexInputRef ref)) {
                return null;
            }
            scanField = ref.getIndex();
        }
        int physical = read.emittedColumns().length;
        if (scanField < physical || scanField - physical >= read.metadata().size()) {
            return null;
        }
        String key = read.metadata().get(scanField - physical);
        if (!key.equals(RowMetadata.COMMIT_TIMESTAMP) && !key.equals(RowMetadata.OFFSET)) {
            return null;
        }
        RelNode below = calc != null ? calc : scan;
        return new ServedScan.Order(field, FlinkTypeFactory.toLogicalType(below.getRowType().getFieldList().get(field)
                .getType()), collation.getDirection().isDescending(), key);
    }

    /** Why the read or the Calcs over it cannot run outside a job, or null. */
    private static String problem(BatchPhysicalTableSourceScan scan, int fields, BatchPhysicalCalc... calcs) {
        if (scan.getRowType().getFieldCount() != fields) {
            return "it reads more than the table's columns";
        }
        for (BatchPhysicalCalc calc : calcs) {
            String problem = calc == null ? null : unsupported(calc);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Why a Calc's expressions cannot run outside a job, or null. */
    private static String unsupported(BatchPhysicalCalc calc) {
        RexProgram program = calc.getProgram();
        for (RexNode expression : program.getExprList()) {
            String problem = unsupported(expression);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /**
     * The plan above the lookups, as Flink's generated code: the Calc's projection, and its filter
     * without the equalities the lookups already ensure (so that the code is the same for every
     * key a prepared statement is given). Null when the rows read are the answer.
     */
    private static GeneratedCalc rest(BatchPhysicalCalc calc, int[] emitted, int[] keyColumns, PlannerBase planner) {
        RelNode inputRel = calc.getInput();
        RexProgram program = calc.getProgram();
        List<RexNode> projects = program.getProjectList().stream().map(program::expandLocalRef)
                .collect(Collectors.toList());
        RexNode condition = program.getCondition() == null ? null : program.expandLocalRef(program.getCondition());
        List<Integer> keyFields = new ArrayList<>();
        for (int column : keyColumns) {
            for (int i = 0; i < emitted.length; i++) {
                if (emitted[i] == column) {
                    keyFields.add(i);
                }
            }
        }
        List<RexNode> conjuncts = condition == null ? List.of() : RelOptUtil.conjunctions(condition);
        Map<Integer, List<RexNode>> onKeys = new HashMap<>();
        for (RexNode conjunct : conjuncts) {
            Integer field = equalityField(conjunct);
            if (field != null && keyFields.contains(field)) {
                onKeys.computeIfAbsent(field, f -> new ArrayList<>()).add(conjunct);
            }
        }
        List<RexNode> remaining = new ArrayList<>(conjuncts);
        // One equality per key column is the filter the source turned into the lookups' values.
        onKeys.values().stream().filter(list -> list.size() == 1).forEach(list -> remaining.remove(list.get(0)));
        RexNode residual = RexUtil.composeConjunction(calc.getCluster().getRexBuilder(), remaining, true);
        if (residual == null && isIdentity(projects, inputRel.getRowType().getFieldCount())) {
            return null;
        }
        RowType input = FlinkTypeFactory.toLogicalRowType(inputRel.getRowType());
        RowType output = FlinkTypeFactory.toLogicalRowType(calc.getRowType());
        ClassLoader classLoader = planner.getFlinkContext().getClassLoader();
        var function = CalcCodeGenerator$.MODULE$.generateFunction(input, "ServedCalc", output, GenericRowData.class,
                scala.collection.JavaConverters.asScalaBufferConverter(projects).asScala().toSeq(),
                scala.Option.apply(residual), planner.getTableConfig(), classLoader);
        String description = "project " + projects + (residual == null ? "" : " where " + residual);
        return new GeneratedCalc(function, output, description, classLoader);
    }

    /** The input field a conjunct fixes to literals ({@code =}, a SEARCH of points, an OR of {@code =}), or null. */
    private static Integer equalityField(RexNode conjunct) {
        if (!(conjunct instanceof RexCall call)) {
            return null;
        }
        switch (call.getKind()) {
            case EQUALS: {
                RexNode left = call.getOperands().get(0);
                RexNode right = call.getOperands().get(1);
                if (left instanceof RexInputRef ref && right instanceof RexLiteral) {
                    return ref.getIndex();
                }
                if (right instanceof RexInputRef ref && left instanceof RexLiteral) {
                    return ref.getIndex();
                }
                return null;
            }
            case SEARCH: {
                if (call.getOperands().get(0) instanceof RexInputRef ref
                        && call.getOperands().get(1) instanceof RexLiteral literal) {
                    Sarg<?> sarg = literal.getValueAs(Sarg.class);
                    if (sarg != null && sarg.isPoints() && sarg.nullAs != RexUnknownAs.TRUE) {
                        return ref.getIndex();
                    }
                }
                return null;
            }
            case OR: {
                Integer field = null;
                for (RexNode operand : call.getOperands()) {
                    Integer each = equalityField(operand);
                    if (each == null || (field != null && !field.equals(each))) {
                        return null;
                    }
                    field = each;
                }
                return field;
            }
            default:
                return null;
        }
    }

    /** Why an expression cannot run in the gateway (a user-defined or time function), or null. */
    private static String unsupported(RexNode expression) {
        String[] problem = new String[1];
        expression.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitCall(RexCall call) {
                SqlOperator operator = call.getOperator();
                if (operator.isDynamicFunction()) {
                    problem[0] = "it calls " + operator.getName() + ", whose value is fixed per job";
                } else if (isUserDefined(operator)) {
                    problem[0] = "it calls the user-defined function " + operator.getName();
                }
                return problem[0] == null ? super.visitCall(call) : null;
            }
        });
        return problem[0];
    }

    private static boolean isUserDefined(SqlOperator operator) {
        if (operator instanceof BridgingSqlFunction bridging) {
            return !(bridging.getDefinition() instanceof BuiltInFunctionDefinition);
        }
        // Functions of the legacy type system live there; Calcite's and Flink's own operators elsewhere.
        return operator.getClass().getName().startsWith("org.apache.flink.table.planner.functions.utils.");
    }

    private static boolean isIdentity(List<RexNode> projects, int inputFields) {
        if (projects.size() != inputFields) {
            return false;
        }
        for (int i = 0; i < projects.size(); i++) {
            if (!(projects.get(i) instanceof RexInputRef ref) || ref.getIndex() != i) {
                return false;
            }
        }
        return true;
    }

    private static Object internalValue(ValueLiteralExpression literal) {
        DataStructureConverter<Object, Object> converter = DataStructureConverters.getConverter(
                literal.getOutputDataType());
        converter.open(ServingPlanner.class.getClassLoader());
        return converter.toInternalOrNull(literal.getValueAs(literal.getOutputDataType().getConversionClass())
                .orElseThrow());
    }

    private static String names(ServableRead read, int[] columns) {
        return Arrays.stream(columns).mapToObj(i -> read.rowType().fieldNames().get(i))
                .collect(Collectors.joining(", ", "(", ")"));
    }
}

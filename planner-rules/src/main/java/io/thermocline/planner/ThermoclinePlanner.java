package io.thermocline.planner;

import io.thermocline.planner.rules.ImplicitLookupJoinRule;

import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.tools.RuleSets;
import org.apache.flink.table.api.TableConfig;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.planner.calcite.CalciteConfig;
import org.apache.flink.table.planner.plan.optimize.program.FlinkBatchProgram;
import org.apache.flink.table.planner.plan.optimize.program.FlinkChainedProgram;
import org.apache.flink.table.planner.plan.optimize.program.FlinkHepRuleSetProgramBuilder;
import org.apache.flink.table.planner.plan.optimize.program.FlinkOptimizeContext;
import org.apache.flink.table.planner.plan.optimize.program.FlinkStreamProgram;
import org.apache.flink.table.planner.plan.optimize.program.HEP_RULES_EXECUTION_TYPE;

/**
 * Installs Thermocline's rules into a table environment's optimizer: one program of rules that
 * runs before Flink's own, in streaming and batch mode. Each rule acts only where its session
 * option enables it ({@link PlannerOptions}), so installing changes nothing by itself.
 *
 * <p>Needs {@code flink-table-planner_2.12} on the class path (the planner loader hides the
 * classes the rules are written against). Install before the first query of the environment.
 */
public final class ThermoclinePlanner {
    static final String PROGRAM = "thermocline_rules";

    private ThermoclinePlanner() {}

    public static void install(TableEnvironment env) {
        TableConfig config = env.getConfig();
        FlinkChainedProgram<org.apache.flink.table.planner.plan.optimize.program.StreamOptimizeContext> stream =
                FlinkStreamProgram.buildProgram(config);
        stream.addFirst(PROGRAM, rules());
        FlinkChainedProgram<org.apache.flink.table.planner.plan.optimize.program.BatchOptimizeContext> batch =
                FlinkBatchProgram.buildProgram(config);
        batch.addFirst(PROGRAM, rules());
        config.setPlannerConfig(CalciteConfig.createBuilder().replaceStreamProgram(stream).replaceBatchProgram(batch)
                .build());
    }

    private static <OC extends FlinkOptimizeContext> org.apache.flink.table.planner.plan.optimize.program
            .FlinkHepRuleSetProgram<OC> rules() {
        return FlinkHepRuleSetProgramBuilder.<OC>newBuilder()
                .setHepRulesExecutionType(HEP_RULES_EXECUTION_TYPE.RULE_COLLECTION())
                .setHepMatchOrder(HepMatchOrder.BOTTOM_UP)
                .add(RuleSets.ofList(ImplicitLookupJoinRule.INSTANCE))
                .build();
    }
}

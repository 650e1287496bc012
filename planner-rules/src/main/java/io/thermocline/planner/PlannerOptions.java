package io.thermocline.planner;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Session options of Thermocline's planner rules (set them with SQL {@code SET} or on the TableConfig). */
public final class PlannerOptions {
    /**
     * Regular joins with a primary-key table become lookup joins. Off by default because the
     * answer differs: each row sees the table as it is when the row arrives, and later changes of
     * the table do not revise rows already joined.
     */
    public static final ConfigOption<Boolean> IMPLICIT_LOOKUP_JOIN = ConfigOptions
            .key("thermocline.optimizer.implicit-lookup-join").booleanType().defaultValue(false)
            .withDescription("In streaming queries, an equi-join of a stream with a Thermocline primary-key table"
                    + " (on its right side) whose keys cover the primary key, or the bucket key leading it, is"
                    + " planned as a lookup join on the KV tablets instead of a join that keeps both sides in state."
                    + " Each row then sees the table as it is when the row arrives; later changes of the table do"
                    + " not revise rows already joined.");

    private PlannerOptions() {}
}

package io.thermocline.gateway.session;

import io.thermocline.planner.ThermoclinePlanner;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.gateway.service.context.SessionContext;
import org.apache.flink.table.gateway.service.operation.OperationExecutor;
import org.apache.flink.table.resource.ResourceManager;

/**
 * Flink's statement executor with Thermocline's planner rules in every table environment it
 * creates (it creates one per statement, from the session's state).
 */
final class RuledOperationExecutor extends OperationExecutor {
    RuledOperationExecutor(SessionContext context, Configuration statementConf) {
        super(context, statementConf);
    }

    @Override
    public TableEnvironmentInternal getTableEnvironment(ResourceManager resourceManager, Configuration conf) {
        TableEnvironmentInternal env = super.getTableEnvironment(resourceManager, conf);
        ThermoclinePlanner.install(env);
        return env;
    }
}

package io.thermocline.gateway.session;

import io.thermocline.flink.catalog.ThermoclineCatalog;
import io.thermocline.gateway.guard.StatementGuard;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogBaseTable;
import org.apache.flink.table.gateway.api.endpoint.EndpointVersion;
import org.apache.flink.table.gateway.api.operation.OperationHandle;
import org.apache.flink.table.gateway.api.results.TableInfo;
import org.apache.flink.table.gateway.api.session.SessionEnvironment;
import org.apache.flink.table.gateway.api.session.SessionHandle;
import org.apache.flink.table.gateway.service.context.DefaultContext;
import org.apache.flink.table.gateway.service.context.SessionContext;
import org.apache.flink.table.gateway.service.operation.OperationExecutor;
import org.apache.flink.table.operations.Operation;

import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * One JDBC connection's Flink session: Flink's own session state (catalogs, current catalog and
 * database, settings), with a Thermocline catalog of its own as the default catalog. Statements
 * run through Flink SQL Gateway's executor with Thermocline's planner rules installed. Queries
 * run in batch mode unless the session sets {@code execution.runtime-mode} to streaming.
 * Thread-safe; close it to end its statements and release its catalog.
 */
public final class FlinkSession implements AutoCloseable {
    private enum Version implements EndpointVersion { AVATICA_V1 }

    private final SessionContext context;
    private final StatementGuard guard;
    /** Jobs this session's statements started (INSERTs): the ones it may stop or describe. */
    private final Set<String> startedJobs = ConcurrentHashMap.newKeySet();

    /**
     * @param catalogOptions the catalog's options: client options ({@code bootstrap.servers}, ...)
     * @param sessionConf Flink settings of the session (on top of the gateway's)
     * @param guard what the session's statements may do
     */
    public FlinkSession(DefaultContext defaults, String catalogName, String defaultDatabase,
            Map<String, String> catalogOptions, Map<String, String> sessionConf, ExecutorService operations,
            StatementGuard guard) {
        this.guard = guard;
        Map<String, String> conf = new HashMap<>();
        conf.put(ExecutionOptions.RUNTIME_MODE.key(), RuntimeExecutionMode.BATCH.name().toLowerCase());
        conf.putAll(sessionConf);
        SessionEnvironment environment = SessionEnvironment.newBuilder()
                .setSessionEndpointVersion(Version.AVATICA_V1)
                .addSessionConfig(conf)
                .registerCatalogCreator(catalogName, (config, classLoader) ->
                        new ThermoclineCatalog(catalogName, defaultDatabase, catalogOptions))
                .setDefaultCatalog(catalogName)
                .build();
        this.context = SessionContext.create(defaults, SessionHandle.create(), environment, operations);
        context.open();
    }

    /**
     * Runs a statement and returns its result, to be read page by page. DML waits for its job in
     * batch mode and returns at once with the job id in streaming mode. Flink's errors come as they
     * are (validation errors name table, column and position).
     *
     * @throws io.thermocline.gateway.guard.StatementRefusedException if the guard refuses it; nothing ran
     */
    public StatementResult execute(String sql) {
        boolean streaming = isStreaming();
        Configuration statementConf = new Configuration();
        statementConf.set(TableConfigOptions.TABLE_DML_SYNC, !streaming);
        OperationExecutor executor = executor(statementConf);
        // Parsed once more than Flink does, to see what would run before anything does.
        TableEnvironmentInternal env = executor.getTableEnvironment();
        List<Operation> operations = env.getParser().parse(sql);
        guard.check(operations, env::getCatalog, startedJobs::contains);
        OptionalLong limit = streaming ? StreamingLimit.of(operations) : OptionalLong.empty();
        StatementResult result = new StatementResult(executor.executeStatement(OperationHandle.create(), statementConf,
                sql), streaming, limit);
        if (result.jobId() != null) {
            startedJobs.add(result.jobId().toString());
        }
        return result;
    }

    public boolean isStreaming() {
        String mode = context.getSessionConf().get(ExecutionOptions.RUNTIME_MODE).name();
        return RuntimeExecutionMode.STREAMING.name().equals(mode);
    }

    /** The session's time zone, in which TIMESTAMP_LTZ values are shown. */
    public ZoneId zone() {
        String zone = context.getSessionConf().get(TableConfigOptions.LOCAL_TIME_ZONE);
        return TableConfigOptions.LOCAL_TIME_ZONE.defaultValue().equals(zone) ? ZoneId.systemDefault() : ZoneId.of(zone);
    }

    public String currentCatalog() {
        return executor(new Configuration()).getCurrentCatalog();
    }

    public String currentDatabase() {
        return context.getSessionState().catalogManager.getCurrentDatabase();
    }

    public Set<String> catalogs() {
        return executor(new Configuration()).listCatalogs();
    }

    public Set<String> databases(String catalog) {
        return executor(new Configuration()).listDatabases(catalog);
    }

    public Set<TableInfo> tables(String catalog, String database) {
        return executor(new Configuration()).listTables(catalog, database,
                EnumSet.of(CatalogBaseTable.TableKind.TABLE, CatalogBaseTable.TableKind.VIEW));
    }

    public ResolvedCatalogBaseTable<?> table(ObjectIdentifier identifier) {
        return executor(new Configuration()).getTable(identifier);
    }

    private OperationExecutor executor(Configuration statementConf) {
        return new RuledOperationExecutor(context, statementConf);
    }

    @Override
    public void close() {
        context.close();
    }
}

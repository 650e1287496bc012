package io.thermocline.gateway.session;

import io.thermocline.flink.catalog.ThermoclineCatalog;
import io.thermocline.gateway.guard.StatementGuard;
import io.thermocline.gateway.serving.NotServedException;
import io.thermocline.gateway.serving.ServedStatement;
import io.thermocline.gateway.serving.ServingClient;
import io.thermocline.gateway.serving.ServingOptions;
import io.thermocline.gateway.serving.ServingPlanner;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.table.api.TableConfig;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogBaseTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.gateway.api.endpoint.EndpointVersion;
import org.apache.flink.table.gateway.api.operation.OperationHandle;
import org.apache.flink.table.gateway.api.results.TableInfo;
import org.apache.flink.table.gateway.api.session.SessionEnvironment;
import org.apache.flink.table.gateway.api.session.SessionHandle;
import org.apache.flink.table.gateway.service.context.DefaultContext;
import org.apache.flink.table.gateway.service.context.SessionContext;
import org.apache.flink.table.gateway.service.operation.OperationExecutor;
import org.apache.flink.table.operations.ExplainOperation;
import org.apache.flink.table.operations.Operation;
import org.apache.flink.table.operations.QueryOperation;
import org.apache.flink.table.planner.codegen.CodeGeneratorContext;
import org.apache.flink.table.planner.functions.casting.RowDataToStringConverterImpl;
import org.apache.flink.table.utils.print.RowDataToStringConverter;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

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
    /** Answers the queries the gateway serves itself, with the session's credentials. */
    private final ServingClient serving;
    /** Counts the statements that may change what a query means (USE, SET, DDL, ...): learned plans of older ones are stale. */
    private final AtomicLong generation = new AtomicLong();
    private volatile ZoneAt zone;
    /** Jobs this session's statements started (INSERTs): the ones it may stop or describe. */
    private final Set<String> startedJobs = ConcurrentHashMap.newKeySet();

    /** The session's time zone as of a generation. */
    private record ZoneAt(ZoneId zone, long generation) {}

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
        this.serving = new ServingClient(catalogOptions);
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
        Operation only = operations.size() == 1 ? operations.get(0) : null;
        if (only instanceof QueryOperation query && !streaming && fastPath()) {
            ServingPlanner.Decision decision = decide(env, query);
            if (decision.isServed()) {
                try {
                    return serve(decision.served());
                } catch (NotServedException e) {
                    // found at the read: a Flink job answers it
                }
            }
        }
        if (only instanceof QueryOperation || only instanceof ExplainOperation) {
            return run(sql, executor, statementConf, operations, env, streaming);
        }
        // Anything else may change what a query means (USE, SET, DDL): what was learned before it is stale,
        // and so is what was learned while it ran.
        generation.incrementAndGet();
        try {
            return run(sql, executor, statementConf, operations, env, streaming);
        } finally {
            generation.incrementAndGet();
        }
    }

    private StatementResult run(String sql, OperationExecutor executor, Configuration statementConf,
            List<Operation> operations, TableEnvironmentInternal env, boolean streaming) {
        Operation only = operations.size() == 1 ? operations.get(0) : null;
        if (only instanceof ExplainOperation explain && explain.getChild() instanceof QueryOperation query) {
            ServingPlanner.Decision decision = streaming ? ServingPlanner.Decision.flink("streaming mode")
                    : !fastPath() ? ServingPlanner.Decision.flink(ServingOptions.FAST_PATH.key() + " is false")
                    : decide(env, query);
            return explained(new FlinkResult(executor.executeStatement(OperationHandle.create(), statementConf, sql),
                    false, OptionalLong.empty()), decision);
        }
        OptionalLong limit = streaming ? StreamingLimit.of(operations) : OptionalLong.empty();
        StatementResult result = new FlinkResult(executor.executeStatement(OperationHandle.create(), statementConf,
                sql), streaming, limit);
        if (result.jobId() != null) {
            startedJobs.add(result.jobId().toString());
        }
        return result;
    }

    /**
     * Runs a query the gateway serves itself (planned earlier, by this session).
     *
     * @throws NotServedException when only a Flink job answers it
     */
    public ServedResult serve(ServedStatement query) {
        return new ServedResult(query.schema(), query.execute(serving), () -> formatter(query.schema()), query);
    }

    /** Counts the statements run that were not queries: a plan learned before the count changed may be stale. */
    public long generation() {
        return generation.get();
    }

    private boolean fastPath() {
        return context.getSessionConf().get(ServingOptions.FAST_PATH);
    }

    /** Whether the gateway serves a query; a query the planner refuses runs as a Flink job, which reports why. */
    private static ServingPlanner.Decision decide(TableEnvironmentInternal env, QueryOperation query) {
        try {
            return ServingPlanner.plan(env, query);
        } catch (RuntimeException e) {
            return ServingPlanner.Decision.flink("the plan could not be examined (" + e.getMessage() + ")");
        }
    }

    /** Flink's EXPLAIN, with the way the gateway runs the query added to its text. */
    private ServedResult explained(FlinkResult flink, ServingPlanner.Decision decision) {
        List<RowData> rows = new ArrayList<>();
        try (flink) {
            StatementResult.Page page;
            do {
                page = flink.nextPage(Integer.MAX_VALUE, Long.MAX_VALUE);
                rows.addAll(page.rows());
            } while (!page.end());
        }
        if (rows.size() == 1 && rows.get(0).getArity() == 1) {
            String text = rows.get(0).getString(0).toString();
            rows.set(0, GenericRowData.of(StringData.fromString(text + (text.endsWith("\n") ? "" : "\n")
                    + "\n== Thermocline Execution ==\n" + decision.describe() + "\n")));
        }
        ResolvedSchema schema = flink.schema();
        return new ServedResult(schema, rows, () -> formatter(schema), null);
    }

    /** How Flink's SQL client shows values, for the columns JDBC gets as text. */
    private RowDataToStringConverter formatter(ResolvedSchema schema) {
        TableConfig config = TableConfig.getDefault();
        config.addConfiguration(context.getSessionConf());
        ClassLoader classLoader = context.getUserClassloader();
        return new RowDataToStringConverterImpl(schema.toPhysicalRowDataType(), zone(), classLoader,
                config.get(ExecutionConfigOptions.TABLE_EXEC_LEGACY_CAST_BEHAVIOUR).isEnabled(),
                new CodeGeneratorContext(config, classLoader));
    }

    public boolean isStreaming() {
        String mode = context.getSessionConf().get(ExecutionOptions.RUNTIME_MODE).name();
        return RuntimeExecutionMode.STREAMING.name().equals(mode);
    }

    /** The session's time zone, in which TIMESTAMP_LTZ values are shown. */
    public ZoneId zone() {
        // Read once per generation: the session's settings are copied on every read, and only a SET changes them.
        long now = generation.get();
        ZoneAt cached = zone;
        if (cached == null || cached.generation() != now) {
            String name = context.getSessionConf().get(TableConfigOptions.LOCAL_TIME_ZONE);
            cached = new ZoneAt(TableConfigOptions.LOCAL_TIME_ZONE.defaultValue().equals(name) ? ZoneId.systemDefault()
                    : ZoneId.of(name), now);
            zone = cached;
        }
        return cached.zone();
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
        try {
            context.close();
        } finally {
            serving.close();
        }
    }
}

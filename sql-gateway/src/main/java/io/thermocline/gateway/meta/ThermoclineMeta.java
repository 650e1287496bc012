package io.thermocline.gateway.meta;

import io.thermocline.gateway.serving.ServedQuery;
import io.thermocline.gateway.session.FlinkSession;
import io.thermocline.gateway.session.ServedResult;
import io.thermocline.gateway.session.StatementResult;

import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Avatica's server side over Flink sessions: each JDBC connection is a {@link FlinkSession}, each
 * statement's result is read a frame at a time from its running job (never held whole), and
 * metadata calls read the session's catalogs. Errors reach the client as SQLExceptions with
 * Flink's message, and the connection stays usable. Thread-safe.
 */
public final class ThermoclineMeta extends MetaImpl implements AutoCloseable {
    /** Opens the Flink session of a new JDBC connection. */
    @FunctionalInterface
    public interface SessionFactory {
        FlinkSession open(String user, Map<String, String> connectionInfo);
    }

    /** Limits and waits of the gateway (see {@code GatewayOptions}). */
    public record Limits(int maxStatements, int maxFrameRows, long streamingWaitMs, int maxStatementLength,
            int maxConnections, int maxConnectionsPerUser) {}

    private final SessionFactory sessions;
    private final Limits limits;
    private final LongSupplier clock;
    private final Map<String, GatewayConnection> connections = new ConcurrentHashMap<>();
    /** The HTTP-authenticated user of the request this thread serves; null without HTTP authentication. */
    private final ThreadLocal<String> requestUser = new ThreadLocal<>();
    /** The most rows one frame held, over all statements: what paging bounds. */
    private final java.util.concurrent.atomic.AtomicInteger largestFrame = new java.util.concurrent.atomic.AtomicInteger();
    /** Statements handed to Flink's parser and planner, over all connections. */
    private final java.util.concurrent.atomic.AtomicLong planned = new java.util.concurrent.atomic.AtomicLong();

    public ThermoclineMeta(SessionFactory sessions, Limits limits, LongSupplier clock) {
        super(null); // a server-side Meta: MetaImpl's uses of a client connection are overridden below
        this.sessions = sessions;
        this.limits = limits;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ connections

    /**
     * Serves one request as {@code user}, the user its HTTP authentication proved: a connection
     * belongs to the user who opened it, and no other user's requests reach it.
     */
    public <T> T asUser(String user, Callable<T> request) throws Exception {
        requestUser.set(user);
        try {
            return request.call();
        } finally {
            requestUser.remove();
        }
    }

    @Override
    public void openConnection(ConnectionHandle ch, Map<String, String> connectionInfo) {
        Map<String, String> info = connectionInfo == null ? Map.of() : connectionInfo;
        String authenticated = requestUser.get();
        String owner = authenticated != null ? authenticated : info.getOrDefault("user", "");
        // The session is opened outside the lock (it takes a while); the connection holds its place meanwhile.
        GatewayConnection placeholder = GatewayConnection.opening(ch.id, owner);
        synchronized (connections) {
            if (connections.containsKey(ch.id)) {
                throw GatewayErrors.error("Connection " + ch.id + " is already open");
            }
            if (connections.size() >= limits.maxConnections()) {
                throw GatewayErrors.error("The gateway holds " + connections.size() + " connections, the most"
                        + " gateway.max-connections allows; close some first");
            }
            long own = connections.values().stream().filter(c -> c.owner.equals(owner)).count();
            if (own >= limits.maxConnectionsPerUser()) {
                throw GatewayErrors.error("User '" + owner + "' holds " + own + " connections, the most"
                        + " gateway.max-connections-per-user allows; close some first");
            }
            connections.put(ch.id, placeholder);
        }
        GatewayConnection connection;
        try {
            connection = new GatewayConnection(ch.id, owner, sessions.open(info.get("user"), info),
                    limits.maxStatements(), clock.getAsLong());
        } catch (RuntimeException e) {
            connections.remove(ch.id, placeholder);
            throw GatewayErrors.of(e);
        }
        if (!connections.replace(ch.id, placeholder, connection)) {
            connection.close(); // closed while it opened
        }
    }

    @Override
    public void closeConnection(ConnectionHandle ch) {
        GatewayConnection connection = connections.get(ch.id);
        if (connection != null && ownedByRequester(connection) && connections.remove(ch.id, connection)) {
            connection.close();
        }
    }

    /** Closes connections unused since {@code idleSinceMs}; returns how many. */
    public int closeIdle(long idleSinceMs) {
        int closed = 0;
        for (GatewayConnection connection : connections.values()) {
            if (connection.lastUsedMs() < idleSinceMs && connections.remove(connection.id, connection)) {
                connection.close();
                closed++;
            }
        }
        return closed;
    }

    public int openConnections() {
        return connections.size();
    }

    @Override
    public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
        GatewayConnection connection = connection(ch.id);
        synchronized (connection) {
            if (props.getCatalog() != null) {
                run(connection, "USE CATALOG `" + props.getCatalog().replace("`", "``") + "`");
            }
            if (props.getSchema() != null) {
                run(connection, "USE `" + props.getSchema().replace("`", "``") + "`");
            }
            if (Boolean.FALSE.equals(props.isAutoCommit())) {
                throw GatewayErrors.error("Thermocline has no transactions: every statement commits on its own,"
                        + " so auto-commit stays on");
            }
            return new ConnectionPropertiesImpl(true, false, Connection.TRANSACTION_NONE,
                    connection.session.currentCatalog(), connection.session.currentDatabase());
        }
    }

    @Override
    public void commit(ConnectionHandle ch) {
        connection(ch.id); // auto-commit: nothing pending
    }

    @Override
    public void rollback(ConnectionHandle ch) {
        connection(ch.id);
        throw GatewayErrors.error("Thermocline has no transactions: every statement commits on its own");
    }

    // ------------------------------------------------------------------ statements

    @Override
    public StatementHandle createStatement(ConnectionHandle ch) {
        GatewayConnection connection = connection(ch.id);
        return new StatementHandle(ch.id, connection.newStatement().id, null);
    }

    @Override
    public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
        GatewayConnection connection = connection(ch.id);
        checkLength(sql);
        GatewayStatement statement = connection.newStatement();
        statement.preparedSql = sql;
        statement.markers = SqlParameters.markers(sql);
        statement.parameters = SqlParameters.describe(statement.markers);
        // Result columns are known once Flink plans the statement, at execution.
        Signature signature = Signature.create(List.of(), sql, statement.parameters,
                CursorFactory.LIST, StatementType.SELECT);
        return new StatementHandle(ch.id, statement.id, signature);
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
            throws NoSuchStatementException {
        return prepareAndExecute(h, sql, maxRowCount, -1, callback);
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
            PrepareCallback callback) throws NoSuchStatementException {
        GatewayConnection connection = connection(h.connectionId);
        synchronized (connection) {
            GatewayStatement statement = connection.statement(h);
            checkLength(sql);
            return execute(connection, statement, sql, List.of(), maxRowCount, maxRowsInFirstFrame);
        }
    }

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
            throws NoSuchStatementException {
        return execute(h, parameterValues, (int) Math.min(Integer.MAX_VALUE, maxRowCount));
    }

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
            throws NoSuchStatementException {
        GatewayConnection connection = connection(h.connectionId);
        synchronized (connection) {
            GatewayStatement statement = connection.statement(h);
            if (statement.preparedSql == null) {
                throw GatewayErrors.error("Statement " + h.id + " was not prepared");
            }
            List<AvaticaParameter> parameters = statement.parameters;
            List<Object> values = SqlParameters.values(parameterValues);
            FlinkSession session = connection.session;
            long generation = session.generation();
            Optional<ServedQuery> learned = statement.serving.bind(values, generation);
            if (learned.isPresent()) {
                statement.closeResult();
                StatementResult result;
                try {
                    result = session.serve(learned.get());
                } catch (RuntimeException e) {
                    // The table may have changed under the learned plan: plan this execution afresh.
                    statement.serving.forget();
                    result = null;
                }
                if (result != null) {
                    return respond(connection, statement, result, statement.preparedSql, parameters, -1,
                            maxRowsInFirstFrame);
                }
            }
            String sql;
            try {
                sql = SqlParameters.bind(statement.preparedSql, statement.markers, parameterValues);
            } catch (SQLException e) {
                throw GatewayErrors.of(e);
            }
            StatementResult result = run(connection, statement, sql);
            statement.serving.observe(values, result instanceof ServedResult served
                    && served.query() instanceof ServedQuery lookups ? lookups : null, generation);
            return respond(connection, statement, result, sql, parameters, -1, maxRowsInFirstFrame);
        }
    }

    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
            throws NoSuchStatementException {
        GatewayConnection connection = connection(h.connectionId);
        synchronized (connection) {
            GatewayStatement statement = connection.statement(h);
            long[] counts = new long[sqlCommands.size()];
            for (int i = 0; i < counts.length; i++) {
                checkLength(sqlCommands.get(i));
                counts[i] = updateCount(execute(connection, statement, sqlCommands.get(i), List.of(), -1, -1));
            }
            return new ExecuteBatchResult(counts);
        }
    }

    @Override
    public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
            throws NoSuchStatementException {
        GatewayConnection connection = connection(h.connectionId);
        synchronized (connection) {
            GatewayStatement statement = connection.statement(h);
            long[] counts = new long[parameterValues.size()];
            for (int i = 0; i < counts.length; i++) {
                try {
                    String sql = SqlParameters.bind(statement.preparedSql, statement.markers, parameterValues.get(i));
                    counts[i] = updateCount(execute(connection, statement, sql, List.of(), -1, -1));
                } catch (SQLException e) {
                    throw GatewayErrors.of(e);
                }
            }
            return new ExecuteBatchResult(counts);
        }
    }

    @Override
    public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
            throws NoSuchStatementException, MissingResultsException {
        GatewayConnection connection = connection(h.connectionId);
        synchronized (connection) {
            GatewayStatement statement = connection.statement(h);
            if (!statement.hasResult()) {
                throw new MissingResultsException(h);
            }
            try {
                return served(statement.nextFrame(frameRows(fetchMaxRowCount)));
            } catch (RuntimeException e) {
                statement.closeResult();
                throw GatewayErrors.of(e);
            }
        }
    }

    @Override
    public void closeStatement(StatementHandle h) {
        GatewayConnection connection = connections.get(h.connectionId);
        if (connection != null) {
            connection.closeStatement(h.id);
        }
    }

    @Override
    public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
        return false; // results are not re-creatable: a client that lost its place re-executes
    }

    /** Statements handed to Flink's parser and planner so far (a prepared lookup that learned its plan is not). */
    public long statementsPlanned() {
        return planned.get();
    }

    /** The most rows one frame has held, over all statements so far. */
    public int largestFrame() {
        return largestFrame.get();
    }

    private ExecuteResult execute(GatewayConnection connection, GatewayStatement statement, String sql,
            List<AvaticaParameter> parameters, long maxRowCount, int maxRowsInFirstFrame) {
        return respond(connection, statement, run(connection, statement, sql), sql, parameters, maxRowCount,
                maxRowsInFirstFrame);
    }

    private StatementResult run(GatewayConnection connection, GatewayStatement statement, String sql) {
        statement.closeResult();
        planned.incrementAndGet();
        try {
            return connection.session.execute(sql);
        } catch (RuntimeException e) {
            throw GatewayErrors.of(e);
        }
    }

    /** The first frame of a statement's result; the rest is fetched. */
    private ExecuteResult respond(GatewayConnection connection, GatewayStatement statement, StatementResult result,
            String sql, List<AvaticaParameter> parameters, long maxRowCount, int maxRowsInFirstFrame) {
        if (result.isCommand() || (result.isDml() && !connection.session.isStreaming())) {
            result.close();
            return new ExecuteResult(List.of(MetaResultSet.count(connection.id, statement.id, 0)));
        }
        boolean changelog = result.isStreamingQuery();
        List<ColumnMetaData> columns = JdbcTypes.columns(result.schema(), changelog);
        Signature signature = Signature.create(columns, sql, parameters, CursorFactory.LIST, StatementType.SELECT);
        ZoneId zone = connection.session.zone();
        long rows = result.streamingLimit().stream().map(limit -> maxRowCount > 0 ? Math.min(limit, maxRowCount) : limit)
                .findFirst().orElse(maxRowCount);
        statement.attach(result, JdbcTypes.rowConverter(result.schema(), changelog, zone, result::format), rows,
                changelog ? limits.streamingWaitMs() : Long.MAX_VALUE);
        try {
            Frame first = served(statement.nextFrame(frameRows(maxRowsInFirstFrame)));
            return new ExecuteResult(List.of(MetaResultSet.create(connection.id, statement.id, false, signature,
                    first)));
        } catch (RuntimeException e) {
            statement.closeResult();
            throw GatewayErrors.of(e);
        }
    }

    private void run(GatewayConnection connection, String sql) {
        try (StatementResult ignored = connection.session.execute(sql)) {
            // a USE: nothing to read
        } catch (RuntimeException e) {
            throw GatewayErrors.of(e);
        }
    }

    private Frame served(Frame frame) {
        int rows = ((List<?>) frame.rows).size();
        largestFrame.accumulateAndGet(rows, Math::max);
        return frame;
    }

    private static long updateCount(ExecuteResult result) {
        MetaResultSet first = result.resultSets.get(0);
        if (first.signature != null) {
            throw GatewayErrors.error("A batch may hold only statements without results, not: " + first.signature.sql);
        }
        return first.updateCount;
    }

    private int frameRows(int asked) {
        return asked <= 0 ? limits.maxFrameRows() : Math.min(asked, limits.maxFrameRows());
    }

    private void checkLength(String sql) {
        if (sql.length() > limits.maxStatementLength()) {
            throw GatewayErrors.error("The statement has " + sql.length() + " characters, more than the "
                    + limits.maxStatementLength() + " gateway.statement.max-length allows");
        }
    }

    private GatewayConnection connection(String id) {
        GatewayConnection connection = connections.get(id);
        // Another user's connection is as good as absent: its id opens nothing to them.
        if (connection == null || connection.session == null || !ownedByRequester(connection)) {
            throw GatewayErrors.noConnection(id);
        }
        connection.touch(clock.getAsLong());
        return connection;
    }

    private boolean ownedByRequester(GatewayConnection connection) {
        String user = requestUser.get();
        return user == null || user.equals(connection.owner);
    }

    // ------------------------------------------------------------------ metadata

    @Override
    public MetaResultSet getCatalogs(ConnectionHandle ch) {
        return metadata(ch, () -> CatalogMetadata.catalogs(connection(ch.id).session));
    }

    @Override
    public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
        return metadata(ch, () -> CatalogMetadata.schemas(connection(ch.id).session, catalog, schemaPattern));
    }

    @Override
    public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
            List<String> typeList) {
        return metadata(ch, () -> CatalogMetadata.tables(connection(ch.id).session, catalog, schemaPattern,
                tableNamePattern, typeList));
    }

    @Override
    public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
            Pat columnNamePattern) {
        return metadata(ch, () -> CatalogMetadata.columns(connection(ch.id).session, catalog, schemaPattern,
                tableNamePattern, columnNamePattern));
    }

    @Override
    public MetaResultSet getTableTypes(ConnectionHandle ch) {
        return metadata(ch, CatalogMetadata::tableTypes);
    }

    private MetaResultSet metadata(ConnectionHandle ch, java.util.function.Supplier<CatalogMetadata.Rows> rows) {
        GatewayConnection connection = connection(ch.id);
        synchronized (connection) {
            CatalogMetadata.Rows result;
            try {
                result = rows.get();
            } catch (RuntimeException e) {
                throw GatewayErrors.of(e);
            }
            return MetaResultSet.create(ch.id, -1, true, Signature.create(result.columns(), null, List.of(),
                    CursorFactory.LIST, StatementType.SELECT), Frame.create(0, true, new ArrayList<>(result.rows())));
        }
    }

    /** The metadata calls this gateway does not answer return no rows (JDBC's empty result). */
    @Override
    protected MetaResultSet createResultSet(Map<String, Object> internalParameters, List<ColumnMetaData> columns,
            CursorFactory cursorFactory, Frame firstFrame) {
        return MetaResultSet.create("", -1, true, Signature.create(columns, null, List.of(), cursorFactory,
                StatementType.SELECT), firstFrame);
    }

    @Override
    public Iterable<Object> createIterable(StatementHandle stmt, QueryState state, Signature signature,
            List<TypedValue> parameters, Frame firstFrame) {
        throw new UnsupportedOperationException("a server-side Meta: clients iterate with fetch");
    }

    @Override
    public void close() {
        connections.values().forEach(GatewayConnection::close);
        connections.clear();
    }
}

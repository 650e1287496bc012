package io.thermocline.gateway.meta;

import io.thermocline.gateway.session.FlinkSession;

import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;

import java.util.HashMap;
import java.util.Map;

/**
 * A JDBC connection: its Flink session and statements. Requests of one connection run one at a
 * time (JDBC connections are not meant for concurrent use); different connections in parallel.
 */
final class GatewayConnection implements AutoCloseable {
    final String id;
    /** Who opened it: the HTTP-authenticated user, else the user property ("" without one). */
    final String owner;
    /** Null while the session is being opened. */
    final FlinkSession session;
    private final int maxStatements;
    private final Map<Integer, GatewayStatement> statements = new HashMap<>();
    private int nextStatementId;
    private volatile long lastUsedMs;
    private boolean closed;

    GatewayConnection(String id, String owner, FlinkSession session, int maxStatements, long nowMs) {
        this.id = id;
        this.owner = owner;
        this.session = session;
        this.maxStatements = maxStatements;
        this.lastUsedMs = nowMs;
    }

    /** Holds a connection's place (and counts against its owner's limit) while its session opens. */
    static GatewayConnection opening(String id, String owner) {
        return new GatewayConnection(id, owner, null, 0, Long.MAX_VALUE);
    }

    void touch(long nowMs) {
        lastUsedMs = nowMs;
    }

    long lastUsedMs() {
        return lastUsedMs;
    }

    synchronized GatewayStatement newStatement() {
        if (statements.size() >= maxStatements) {
            throw GatewayErrors.error("Connection " + id + " has " + statements.size() + " open statements, the most"
                    + " gateway.connection.max-statements allows; close some first");
        }
        GatewayStatement statement = new GatewayStatement(nextStatementId++);
        statements.put(statement.id, statement);
        return statement;
    }

    synchronized GatewayStatement statement(Meta.StatementHandle handle) throws NoSuchStatementException {
        GatewayStatement statement = statements.get(handle.id);
        if (statement == null) {
            throw new NoSuchStatementException(handle);
        }
        return statement;
    }

    synchronized void closeStatement(int statementId) {
        GatewayStatement statement = statements.remove(statementId);
        if (statement != null) {
            statement.close();
        }
    }

    synchronized int openStatements() {
        return statements.size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        statements.values().forEach(GatewayStatement::close);
        statements.clear();
        if (session != null) {
            session.close();
        }
    }
}

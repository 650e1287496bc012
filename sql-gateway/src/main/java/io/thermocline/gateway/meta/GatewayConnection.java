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
    final FlinkSession session;
    private final int maxStatements;
    private final Map<Integer, GatewayStatement> statements = new HashMap<>();
    private int nextStatementId;
    private volatile long lastUsedMs;
    private boolean closed;

    GatewayConnection(String id, FlinkSession session, int maxStatements, long nowMs) {
        this.id = id;
        this.session = session;
        this.maxStatements = maxStatements;
        this.lastUsedMs = nowMs;
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
        session.close();
    }
}

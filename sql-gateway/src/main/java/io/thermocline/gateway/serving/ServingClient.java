package io.thermocline.gateway.serving;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.Table;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * One session's client of the cluster for the statements it answers itself: a connection with the
 * session's credentials (so the cluster's ACLs apply to its user), opened at the first lookup, and
 * a table's client objects per table. Thread-safe; close it with the session.
 */
public final class ServingClient implements AutoCloseable {
    private final Map<String, String> clientOptions;
    private final Map<TablePath, TableClient> tables = new ConcurrentHashMap<>();
    private Connection connection;
    private boolean closed;

    public ServingClient(Map<String, String> clientOptions) {
        this.clientOptions = Map.copyOf(clientOptions);
    }

    /** The rows of many full keys, in order. */
    List<Optional<GenericRow>> lookupAll(TablePath path, List<GenericRow> keys) {
        return read(path, (table, admin) -> table.lookuper().lookupAll(keys).get());
    }

    /** Every row whose key starts with a bucket-key prefix (all pages). */
    List<GenericRow> prefixLookup(TablePath path, GenericRow prefix) {
        return read(path, (table, admin) -> table.lookuper().prefixLookup(prefix).get());
    }

    /** A table's client objects, made once per table (its metadata fetched once). */
    static final class TableClient {
        private final Table table;
        private Lookuper lookuper;

        private TableClient(Table table) {
            this.table = table;
        }

        Table table() {
            return table;
        }

        synchronized Lookuper lookuper() {
            if (lookuper == null) {
                lookuper = table.newLookuper();
            }
            return lookuper;
        }
    }

    /** A read of a table with its client objects. */
    interface TableRead<T> {
        T read(TableClient table, Admin admin) throws Exception;
    }

    /**
     * Runs a read of a table. A failed read is tried once more with the table's metadata fetched
     * afresh: the table may have been dropped and created again since it was fetched.
     *
     * @throws ServingException naming the table when the second try fails too
     */
    <T> T read(TablePath path, TableRead<T> read) {
        TableClient table = table(path);
        try {
            return read.read(table, connection().admin());
        } catch (NotServedException e) {
            throw e;
        } catch (Exception first) {
            tables.remove(path, table);
            try {
                return read.read(table(path), connection().admin());
            } catch (NotServedException | ServingException e) {
                throw e;
            } catch (Exception e) {
                Throwable cause = e instanceof CompletionException || e instanceof ExecutionException ? e.getCause() : e;
                throw new ServingException("Read of " + path + " failed: " + cause.getMessage(), cause);
            }
        }
    }

    private TableClient table(TablePath path) {
        return tables.computeIfAbsent(path, p -> new TableClient(connection().table(p)));
    }

    private synchronized Connection connection() {
        if (closed) {
            throw new IllegalStateException("The session is closed");
        }
        if (connection == null) {
            connection = ConnectionFactory.create(new Configuration(clientOptions));
        }
        return connection;
    }

    @Override
    public synchronized void close() {
        closed = true;
        tables.clear();
        if (connection != null) {
            connection.close();
        }
    }
}

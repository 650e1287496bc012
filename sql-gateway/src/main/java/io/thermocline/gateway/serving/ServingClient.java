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
import java.util.function.Function;

/**
 * One session's client of the cluster for the statements it answers itself: a connection with the
 * session's credentials (so the cluster's ACLs apply to its user), opened at the first lookup, and
 * a lookuper and a table per table path. Thread-safe; close it with the session.
 */
public final class ServingClient implements AutoCloseable {
    private final Map<String, String> clientOptions;
    private final Map<TablePath, Lookuper> lookupers = new ConcurrentHashMap<>();
    private final Map<TablePath, Table> tables = new ConcurrentHashMap<>();
    private Connection connection;
    private boolean closed;

    public ServingClient(Map<String, String> clientOptions) {
        this.clientOptions = Map.copyOf(clientOptions);
    }

    /** The rows of many full keys, in order. */
    List<Optional<GenericRow>> lookupAll(TablePath path, List<GenericRow> keys) {
        return withLookuper(path, lookuper -> lookuper.lookupAll(keys).join());
    }

    /** Every row whose key starts with a bucket-key prefix (all pages). */
    List<GenericRow> prefixLookup(TablePath path, GenericRow prefix) {
        return withLookuper(path, lookuper -> lookuper.prefixLookup(prefix).join());
    }

    /**
     * Runs a read with the table's lookuper. A failed read is tried once more with a lookuper made
     * afresh: the table may have been dropped and created again since the lookuper was made.
     */
    private <T> T withLookuper(TablePath path, Function<Lookuper, T> read) {
        Lookuper lookuper = lookuper(path);
        try {
            return read.apply(lookuper);
        } catch (RuntimeException first) {
            lookupers.remove(path, lookuper);
            try {
                return read.apply(lookuper(path));
            } catch (CompletionException e) {
                throw new ServingException("Lookup in " + path + " failed: " + e.getCause().getMessage(), e.getCause());
            } catch (RuntimeException e) {
                throw new ServingException("Lookup in " + path + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** A read of a table with its client objects. */
    interface TableRead<T> {
        T read(Table table, Admin admin) throws Exception;
    }

    /** Runs a read of a table, tried once more with the table's metadata fetched afresh if it fails. */
    <T> T read(TablePath path, TableRead<T> read) {
        Table table = tables.computeIfAbsent(path, p -> connection().table(p));
        try {
            return read.read(table, connection().admin());
        } catch (NotServedException e) {
            throw e;
        } catch (Exception first) {
            tables.remove(path, table);
            try {
                return read.read(tables.computeIfAbsent(path, p -> connection().table(p)), connection().admin());
            } catch (NotServedException | ServingException e) {
                throw e;
            } catch (Exception e) {
                Throwable cause = e instanceof CompletionException || e instanceof ExecutionException ? e.getCause() : e;
                throw new ServingException("Read of " + path + " failed: " + cause.getMessage(), cause);
            }
        }
    }

    private Lookuper lookuper(TablePath path) {
        return lookupers.computeIfAbsent(path, p -> connection().table(p).newLookuper());
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
        lookupers.clear();
        tables.clear();
        if (connection != null) {
            connection.close();
        }
    }
}

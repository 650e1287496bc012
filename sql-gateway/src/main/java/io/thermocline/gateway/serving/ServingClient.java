package io.thermocline.gateway.serving;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Lookuper;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One session's client of the cluster for the statements it answers itself: a connection with the
 * session's credentials (so the cluster's ACLs apply to its user), opened at the first lookup, and
 * a lookuper per table. Thread-safe; close it with the session.
 */
public final class ServingClient implements AutoCloseable {
    private final Map<String, String> clientOptions;
    private final Map<TablePath, Lookuper> lookupers = new ConcurrentHashMap<>();
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
        if (connection != null) {
            connection.close();
        }
    }
}

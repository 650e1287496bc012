package io.thermocline.client.api;

import io.thermocline.common.metadata.TablePath;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DDL and table metadata, served by the active coordinator. Thread-safe. Every operation is
 * asynchronous; retriable errors (coordinator failover, lost connections) are retried until
 * {@link ClientOptions#ADMIN_TIMEOUT}. Futures fail with the API exceptions of
 * {@code io.thermocline.common.exception}, which name the database or table: for instance
 * {@code DatabaseAlreadyExistsException}, {@code TableNotExistException}, {@code SchemaException}
 * or {@code InvalidRequestException}. Those are not retried: fix the request.
 */
public interface Admin {

    CompletableFuture<Void> createDatabase(String database, String comment, boolean ignoreIfExists);

    /** With {@code cascade}, drops the database's tables too; without, it must be empty. */
    CompletableFuture<Void> dropDatabase(String database, boolean ignoreIfNotExists, boolean cascade);

    CompletableFuture<List<String>> listDatabases();

    /** Creates a table; completes with its id. */
    CompletableFuture<Long> createTable(TablePath path, TableDescriptor descriptor, boolean ignoreIfExists);

    CompletableFuture<Void> dropTable(TablePath path, boolean ignoreIfNotExists);

    CompletableFuture<List<String>> listTables(String database);

    /** The table with its latest schema and where each bucket's leader is. */
    CompletableFuture<TableInfo> getTable(TablePath path);
}

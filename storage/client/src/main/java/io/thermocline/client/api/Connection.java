package io.thermocline.client.api;

/**
 * A connection to a Thermocline cluster. Thread-safe and meant to be shared: create one per
 * application and close it at the end, which closes everything obtained from it.
 */
public interface Connection extends AutoCloseable {

    /** DDL and metadata. The admin shares this connection's sockets; closing it is not needed. */
    Admin admin();

    /**
     * A table's data access. Fetches the table's metadata; throws {@code TableNotExistException}
     * naming it when absent.
     */
    Table table(io.thermocline.common.metadata.TablePath path);

    /** The coordinator's tiering queue, for tiering jobs. */
    TieringGateway tiering();

    @Override
    void close();
}

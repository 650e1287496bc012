package io.thermocline.client.api;

/**
 * A connection to a Thermocline cluster. Thread-safe and meant to be shared: create one per
 * application and close it at the end, which closes everything obtained from it.
 */
public interface Connection extends AutoCloseable {

    /** DDL and metadata. The admin shares this connection's sockets; closing it is not needed. */
    Admin admin();

    @Override
    void close();
}

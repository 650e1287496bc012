package io.thermocline.common.exception;

/**
 * The bucket's storage is overloaded (the KV tablet's RocksDB stalls writes while it compacts).
 * Retriable: writers back off and send again instead of piling up on the server.
 */
public class StorageBusyException extends RetriableException {
    private static final long serialVersionUID = 1L;

    public StorageBusyException(String message) {
        super(message);
    }
}

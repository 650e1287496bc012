package io.thermocline.server.zk;

/**
 * What a process that holds ephemeral state in ZooKeeper hears about its session. Called on
 * Curator's event thread, in order; implementations hand slow work to their own threads.
 */
public interface ZkSessionListener {
    /**
     * The connection dropped: the session may already be expiring on the ensemble's side, so
     * whatever ZooKeeper vouches for (leaderships) must not be acted on until it is back.
     */
    void onSuspended();

    /** The session expired: ephemeral nodes are gone and must be created again once reconnected. */
    void onSessionLost();

    /** Connected again; {@code newSession} when the previous session was lost meanwhile. */
    void onReconnected(boolean newSession);
}

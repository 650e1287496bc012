package io.thermocline.server.tablet;

import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.HashMap;
import java.util.Map;

/**
 * The follower side of replication: one {@link ReplicaFetcher} thread per leader server, each
 * fetching every bucket this server follows on that leader in one request.
 */
final class ReplicaFetchers implements AutoCloseable {
    private final int serverId;
    private final RpcClient rpc;
    private final ZooKeeperMetadataStore store;
    private final Map<Integer, ReplicaFetcher> byLeader = new HashMap<>();
    private final Map<TableBucket, Integer> leaderOf = new HashMap<>();
    private boolean closed;

    ReplicaFetchers(int serverId, RpcClient rpc, ZooKeeperMetadataStore store) {
        this.serverId = serverId;
        this.rpc = rpc;
        this.store = store;
    }

    /** Follows a bucket on its leader: first truncate to where the leader's epochs say, then fetch. */
    synchronized void follow(Replica replica, int leaderId, int leaderEpoch) {
        if (closed) {
            return;
        }
        remove(replica.bucket());
        ReplicaFetcher fetcher = byLeader.computeIfAbsent(leaderId, id -> {
            ReplicaFetcher created = new ReplicaFetcher(serverId, id, rpc, store);
            created.start();
            return created;
        });
        fetcher.add(replica, leaderEpoch);
        leaderOf.put(replica.bucket(), leaderId);
    }

    synchronized void remove(TableBucket bucket) {
        Integer leader = leaderOf.remove(bucket);
        if (leader != null) {
            byLeader.get(leader).remove(bucket);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        byLeader.values().forEach(ReplicaFetcher::close);
        byLeader.clear();
        leaderOf.clear();
    }
}

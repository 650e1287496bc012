package io.thermocline.server.zk;

import io.thermocline.common.metadata.TablePath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The values stored in ZooKeeper, each as JSON with a {@code version} field. */
public final class ZkRecords {
    /** Records are stored by their components only; helpers such as {@code isPartitioned()} are not fields. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .build();
    private static final int VERSION = 1;

    private ZkRecords() {}

    /**
     * A live tablet server. {@code host}/{@code port} is the listener other servers use; {@code endpoints}
     * holds every listener by protocol name (clients get the one of the listener they asked on).
     */
    public record TabletServerRegistration(int id, String host, int port, String rack, long registeredAt,
            Map<String, String> endpoints) {
        public TabletServerRegistration(int id, String host, int port, String rack, long registeredAt) {
            this(id, host, port, rack, registeredAt, Map.of());
        }

        /** The host:port of the listener of {@code protocol}; the inter-server one when it has none. */
        public String endpoint(String protocol) {
            String endpoint = endpoints == null ? null : endpoints.get(protocol);
            return endpoint != null ? endpoint : host + ":" + port;
        }
    }

    public record DatabaseRegistration(String comment, Map<String, String> properties, long createdAt) {}

    /** A table's identity and layout; its schemas are stored apart, by id. */
    public record TableRegistration(
            long tableId,
            String database,
            String table,
            int bucketCount,
            int replicationFactor,
            List<String> bucketKeys,
            List<String> partitionKeys,
            Map<String, String> options,
            String comment,
            int latestSchemaId,
            long createdAt) {

        public TablePath path() {
            return TablePath.of(database, table);
        }

        public boolean isPartitioned() {
            return !partitionKeys.isEmpty();
        }
    }

    /** A partition of a table: its values in partition-key order and the name they make. */
    public record PartitionRegistration(long partitionId, long tableId, String name, List<String> values, long createdAt) {}

    /** Replicas of each bucket; the first is the preferred leader. */
    public record BucketAssignment(Map<Integer, List<Integer>> replicas) {}

    /** Where a bucket's replicas are being moved, while they are. */
    public record Reassignment(List<Integer> target) {}

    /**
     * The leader, leader epoch and in-sync replicas of a bucket, written by the coordinator of
     * {@code coordinatorEpoch}; changed only by compare-and-set, so a stale coordinator is fenced.
     */
    public record LeaderAndIsr(int leader, int leaderEpoch, List<Integer> isr, int coordinatorEpoch) {}

    /**
     * The newest lake snapshot of a table the coordinator knows of: its Iceberg snapshot id, the
     * tiering epoch that committed it, and the end offset (exclusive) tiered per bucket, keyed
     * {@code bucket} or {@code partitionId/bucket}.
     */
    public record LakeSnapshot(long snapshotId, long tieringEpoch, Map<String, Long> endOffsets, long committedAt) {}

    /** Every access control entry of the cluster. */
    public record AclList(List<io.thermocline.common.security.AclBinding> acls) {}

    /** The active coordinator. */
    public record CoordinatorRegistration(String id, String host, int port, int epoch) {}

    static byte[] toBytes(Object value) {
        ObjectNode node = MAPPER.valueToTree(value);
        node.put("version", VERSION);
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T fromBytes(byte[] bytes, Class<T> type, String path) {
        try {
            ObjectNode node = (ObjectNode) MAPPER.readTree(bytes);
            JsonNode version = node.remove("version");
            if (version == null || version.asInt() != VERSION) {
                throw new IllegalStateException("ZooKeeper node " + path + " has version " + version
                        + ", this build reads " + VERSION);
            }
            return MAPPER.treeToValue(node, type);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("ZooKeeper node " + path + " does not hold a " + type.getSimpleName(), e);
        }
    }
}

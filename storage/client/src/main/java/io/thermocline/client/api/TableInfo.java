package io.thermocline.client.api;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaLookup;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table as the cluster knows it: id, latest schema, layout, options and each bucket's leader.
 *
 * @param partitionKeys empty for a table without partitions
 * @param buckets by bucket number; empty for a partitioned table, whose partitions each have
 *     {@code bucketCount} buckets of their own
 * @param olderSchemas the schemas before {@code schema}, oldest first: what was written before
 *     an ALTER TABLE names them
 */
public record TableInfo(
        long tableId,
        TablePath path,
        Schema schema,
        int bucketCount,
        List<String> bucketKeys,
        List<String> partitionKeys,
        Map<String, String> options,
        String comment,
        long createdAt,
        List<BucketLeader> buckets,
        List<Schema> olderSchemas) {

    public boolean isPartitioned() {
        return !partitionKeys.isEmpty();
    }

    /** The schema of an id, the latest or an older one. */
    public Optional<Schema> schema(int schemaId) {
        if (schema.schemaId() == schemaId) {
            return Optional.of(schema);
        }
        return olderSchemas.stream().filter(s -> s.schemaId() == schemaId).findFirst();
    }

    /** The schemas known to this metadata by id; an unknown id is a {@code SchemaException} naming the table. */
    public SchemaLookup schemas() {
        return id -> schema(id).orElseThrow(() -> new SchemaException("Table " + path + " has no schema " + id
                + " (its latest is " + schema.schemaId() + ")"));
    }

    /** Where a bucket is served; {@code leader} is -1 while it has none. */
    public record BucketLeader(int bucket, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr,
            String leaderAddress) {}
}

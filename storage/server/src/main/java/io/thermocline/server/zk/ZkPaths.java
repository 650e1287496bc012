package io.thermocline.server.zk;

import io.thermocline.common.metadata.TableBucket;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where each piece of metadata lives, under the cluster's root node:
 *
 * <pre>
 * /cluster/id                            the cluster's id, which data directories record
 * /servers/{id}                          ephemeral: a live tablet server's registration
 * /cluster/servers/{id}                  persistent: every tablet server that ever registered (its last
 *                                        registration), so that buckets are placed on servers that are down
 * /databases/{db}                        DatabaseRegistration
 * /databases/{db}/tables/{table}         TableRegistration
 * /tables/{tableId}                      TableRegistration again, to find a table by id
 * /tables/{tableId}/schemas/{schemaId}   schema JSON (SchemaJson)
 * /tables/{tableId}/assignment           BucketAssignment
 * /tables/{tableId}/buckets/{b}/leader   LeaderAndIsr (changed by compare-and-set)
 * /tables/{tableId}/buckets/{b}/reassignment   Reassignment: where the bucket's replicas are moving, while they are
 * /tables/{tableId}/partitions/{name}    PartitionRegistration, by URL-encoded partition name
 * /partitions/{partitionId}              PartitionRegistration again, to find a partition by id
 * /partitions/{partitionId}/assignment   BucketAssignment of a partition
 * /partitions/{partitionId}/buckets/{b}/leader   LeaderAndIsr of a partition's bucket
 * /table-ids/id-{seq}                    sequential nodes that hand out table ids
 * /partition-ids/id-{seq}                sequential nodes that hand out partition ids
 * /writer-ids/id-{seq}                   sequential nodes that hand out idempotent writer ids
 * /coordinator/election                  leader latch of the coordinators
 * /coordinator/epoch                     the active coordinator's epoch (a counter)
 * /coordinator/active                    ephemeral: the active coordinator's address and epoch
 * /security/users/{user}                 a user's SCRAM credential (salted and hashed), by URL-encoded name
 * /security/acls                         AclList: every access control entry (changed by compare-and-set)
 * /security/cluster-secret               32 random bytes, created once: what unknown users' made-up SCRAM salts
 *                                        and the tags that bind writer ids to principals derive from
 * </pre>
 */
final class ZkPaths {
    private ZkPaths() {}

    static final String CLUSTER_ID = "/cluster/id";
    static final String SERVERS = "/servers";
    static final String DATABASES = "/databases";
    static final String TABLES = "/tables";
    static final String TABLE_IDS = "/table-ids";
    static final String PARTITIONS = "/partitions";
    static final String PARTITION_IDS = "/partition-ids";
    static final String WRITER_IDS = "/writer-ids";
    static final String COORDINATOR_ELECTION = "/coordinator/election";
    static final String COORDINATOR_EPOCH = "/coordinator/epoch";
    static final String COORDINATOR_ACTIVE = "/coordinator/active";

    static final String USERS = "/security/users";
    static final String ACLS = "/security/acls";
    static final String CLUSTER_SECRET = "/security/cluster-secret";

    static String user(String name) {
        return USERS + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    static String server(int id) {
        return SERVERS + "/" + id;
    }

    static final String KNOWN_SERVERS = "/cluster/servers";

    static String knownServer(int id) {
        return KNOWN_SERVERS + "/" + id;
    }

    static String database(String db) {
        return DATABASES + "/" + db;
    }

    static String tables(String db) {
        return database(db) + "/tables";
    }

    static String table(String db, String table) {
        return tables(db) + "/" + table;
    }

    static String tableData(long tableId) {
        return TABLES + "/" + tableId;
    }

    static String lakeSnapshot(long tableId) {
        return tableData(tableId) + "/lake-snapshot";
    }

    static String schemas(long tableId) {
        return tableData(tableId) + "/schemas";
    }

    static String schema(long tableId, int schemaId) {
        return schemas(tableId) + "/" + schemaId;
    }

    static String tablePartitions(long tableId) {
        return tableData(tableId) + "/partitions";
    }

    static String tablePartition(long tableId, String partitionName) {
        return tablePartitions(tableId) + "/" + URLEncoder.encode(partitionName, StandardCharsets.UTF_8);
    }

    static String partitionData(long partitionId) {
        return PARTITIONS + "/" + partitionId;
    }

    /** Where a table's buckets live, or a partition's for {@code partitionId} other than NO_PARTITION. */
    private static String bucketsOwner(long tableId, long partitionId) {
        return partitionId == TableBucket.NO_PARTITION ? tableData(tableId) : partitionData(partitionId);
    }

    static String assignment(long tableId, long partitionId) {
        return bucketsOwner(tableId, partitionId) + "/assignment";
    }

    static String leader(TableBucket bucket) {
        return bucketsOwner(bucket.tableId(), bucket.partitionId()) + "/buckets/" + bucket.bucket() + "/leader";
    }

    static String reassignment(TableBucket bucket) {
        return bucketsOwner(bucket.tableId(), bucket.partitionId()) + "/buckets/" + bucket.bucket() + "/reassignment";
    }
}

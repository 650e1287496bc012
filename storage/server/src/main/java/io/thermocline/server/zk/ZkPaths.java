package io.thermocline.server.zk;

/**
 * Where each piece of metadata lives, under the cluster's root node:
 *
 * <pre>
 * /servers/{id}                          ephemeral: a live tablet server's registration
 * /databases/{db}                        DatabaseRegistration
 * /databases/{db}/tables/{table}         TableRegistration
 * /tables/{tableId}                      TableRegistration again, to find a table by id
 * /tables/{tableId}/schemas/{schemaId}   schema JSON (SchemaJson)
 * /tables/{tableId}/assignment           BucketAssignment
 * /tables/{tableId}/buckets/{b}/leader   LeaderAndIsr (changed by compare-and-set)
 * /table-ids/id-{seq}                    sequential nodes that hand out table ids
 * /coordinator/election                  leader latch of the coordinators
 * /coordinator/epoch                     the active coordinator's epoch (a counter)
 * /coordinator/active                    ephemeral: the active coordinator's address and epoch
 * </pre>
 */
final class ZkPaths {
    private ZkPaths() {}

    static final String SERVERS = "/servers";
    static final String DATABASES = "/databases";
    static final String TABLES = "/tables";
    static final String TABLE_IDS = "/table-ids";
    static final String COORDINATOR_ELECTION = "/coordinator/election";
    static final String COORDINATOR_EPOCH = "/coordinator/epoch";
    static final String COORDINATOR_ACTIVE = "/coordinator/active";

    static String server(int id) {
        return SERVERS + "/" + id;
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

    static String schemas(long tableId) {
        return tableData(tableId) + "/schemas";
    }

    static String schema(long tableId, int schemaId) {
        return schemas(tableId) + "/" + schemaId;
    }

    static String assignment(long tableId) {
        return tableData(tableId) + "/assignment";
    }

    static String leader(long tableId, int bucket) {
        return tableData(tableId) + "/buckets/" + bucket + "/leader";
    }
}

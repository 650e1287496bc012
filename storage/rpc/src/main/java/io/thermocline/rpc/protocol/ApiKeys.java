package io.thermocline.rpc.protocol;

import io.thermocline.common.exception.UnsupportedVersionException;
import io.thermocline.rpc.messages.ApiVersion;

import java.util.ArrayList;
import java.util.List;

/**
 * Every API of the RPC protocol with the versions this build speaks. An id is never reused; a
 * new version of an API only adds protobuf fields, and the version tells the peer which it may
 * expect.
 */
public enum ApiKeys {
    API_VERSIONS(0, "ApiVersions", 0, 0),
    CREATE_DATABASE(1, "CreateDatabase", 0, 0),
    DROP_DATABASE(2, "DropDatabase", 0, 0),
    LIST_DATABASES(3, "ListDatabases", 0, 0),
    CREATE_TABLE(4, "CreateTable", 0, 0),
    DROP_TABLE(5, "DropTable", 0, 0),
    LIST_TABLES(6, "ListTables", 0, 0),
    GET_TABLE(7, "GetTable", 0, 0),
    PRODUCE(8, "Produce", 0, 0),
    FETCH(9, "Fetch", 0, 0, true),
    LIST_OFFSETS(10, "ListOffsets", 0, 0),
    CREATE_PARTITION(11, "CreatePartition", 0, 0),
    DROP_PARTITION(12, "DropPartition", 0, 0),
    LIST_PARTITIONS(13, "ListPartitions", 0, 0),
    STOP_REPLICAS(14, "StopReplicas", 0, 0),
    OFFSET_FOR_LEADER_EPOCH(15, "OffsetForLeaderEpoch", 0, 0),
    NOTIFY_LEADER_AND_ISR(16, "NotifyLeaderAndIsr", 0, 0),
    ADJUST_ISR(17, "AdjustIsr", 0, 0),
    CONTROLLED_SHUTDOWN(18, "ControlledShutdown", 0, 0),
    INIT_WRITER(19, "InitWriter", 0, 0),
    PUT_KV(20, "PutKv", 0, 0),
    LOOKUP(21, "Lookup", 0, 0),
    PREFIX_LOOKUP(22, "PrefixLookup", 0, 0),
    ACQUIRE_TIERING_TABLE(23, "AcquireTieringTable", 0, 0),
    TIERING_HEARTBEAT(24, "TieringHeartbeat", 0, 0),
    FINISH_TIERING(25, "FinishTiering", 0, 0),
    FAIL_TIERING(26, "FailTiering", 0, 0),
    GET_LAKE_SNAPSHOT(27, "GetLakeSnapshot", 0, 0),
    ALTER_TABLE(28, "AlterTable", 0, 0),
    GET_LAKE_CATALOG(29, "GetLakeCatalog", 0, 0),
    LIST_SERVERS(30, "ListServers", 0, 0),
    SASL_HANDSHAKE(31, "SaslHandshake", 0, 0),
    SASL_AUTHENTICATE(32, "SaslAuthenticate", 0, 0),
    ALTER_USER(33, "AlterUser", 0, 0),
    DROP_USER(34, "DropUser", 0, 0),
    LIST_USERS(35, "ListUsers", 0, 0),
    CREATE_ACLS(36, "CreateAcls", 0, 0),
    DELETE_ACLS(37, "DeleteAcls", 0, 0),
    LIST_ACLS(38, "ListAcls", 0, 0),
    ELECT_LEADERS(39, "ElectLeaders", 0, 0),
    REASSIGN_REPLICAS(40, "ReassignReplicas", 0, 0),
    DRAIN_SERVER(41, "DrainServer", 0, 0);

    private static final ApiKeys[] BY_ID = new ApiKeys[64];

    static {
        for (ApiKeys key : values()) {
            BY_ID[key.id] = key;
        }
    }

    private final short id;
    private final String displayName;
    private final short minVersion;
    private final short maxVersion;
    private final boolean trailingBytes;

    ApiKeys(int id, String displayName, int minVersion, int maxVersion) {
        this(id, displayName, minVersion, maxVersion, false);
    }

    ApiKeys(int id, String displayName, int minVersion, int maxVersion, boolean trailingBytes) {
        this.id = (short) id;
        this.displayName = displayName;
        this.minVersion = (short) minVersion;
        this.maxVersion = (short) maxVersion;
        this.trailingBytes = trailingBytes;
    }

    /**
     * Whether successful responses carry raw bytes after the message: the body is then an int32
     * message size, the message, and the trailing bytes (for FETCH: log batches, sent from segment
     * files without copying).
     */
    public boolean hasTrailingBytes() {
        return trailingBytes;
    }

    /**
     * Whether a server may hold the request until data arrives (a fetch waits up to its max wait):
     * its response then goes out when ready, ahead of the connection's earlier requests, so that it
     * never holds theirs back.
     */
    public boolean waitsForData() {
        return this == FETCH;
    }

    public short id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public short minVersion() {
        return minVersion;
    }

    public short maxVersion() {
        return maxVersion;
    }

    public boolean supports(short version) {
        return version >= minVersion && version <= maxVersion;
    }

    public static boolean isKnown(int id) {
        return id >= 0 && id < BY_ID.length && BY_ID[id] != null;
    }

    /** The API with that id; throws {@link UnsupportedVersionException} naming it when unknown. */
    public static ApiKeys forId(int id) {
        ApiKeys key = id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
        if (key == null) {
            throw new UnsupportedVersionException("Unknown API key " + id);
        }
        return key;
    }

    /** This build's APIs as an ApiVersions answer. */
    public static List<ApiVersion> supportedVersions() {
        List<ApiVersion> versions = new ArrayList<>();
        for (ApiKeys key : values()) {
            versions.add(ApiVersion.newBuilder()
                    .setApiKey(key.id)
                    .setMinVersion(key.minVersion)
                    .setMaxVersion(key.maxVersion)
                    .build());
        }
        return versions;
    }
}

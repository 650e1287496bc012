package io.thermocline.server.zk;

import io.thermocline.common.exception.DatabaseAlreadyExistsException;
import io.thermocline.common.exception.DatabaseNotEmptyException;
import io.thermocline.common.exception.DatabaseNotExistException;
import io.thermocline.common.exception.PartitionAlreadyExistsException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.exception.TableAlreadyExistsException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.security.AclBinding;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaJson;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.DatabaseRegistration;
import io.thermocline.server.zk.ZkRecords.LakeSnapshot;
import io.thermocline.server.zk.ZkRecords.PartitionRegistration;
import io.thermocline.server.zk.ZkRecords.TableRegistration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cluster metadata in ZooKeeper (layout in {@link ZkPaths}), read and written through typed
 * operations. Thread-safe. Errors a client can cause come back as the API exceptions that name the
 * database or table; anything else from ZooKeeper as {@link ThermoclineStorageException}.
 */
public final class ZooKeeperMetadataStore implements AutoCloseable {
    private final CuratorFramework curator;
    private final ServerRegistry servers;
    private final LeadershipStore leadership;

    private ZooKeeperMetadataStore(CuratorFramework curator) {
        this.curator = curator;
        this.servers = new ServerRegistry(curator);
        this.leadership = new LeadershipStore(curator);
    }

    /** The tablet servers: live ones and members. */
    public ServerRegistry servers() {
        return servers;
    }

    /** Bucket assignments, leaders and ISRs, fenced by coordinator epoch. */
    public LeadershipStore leadership() {
        return leadership;
    }

    /**
     * Connects to an ensemble; all nodes live under {@code root} (a chroot, e.g. {@code thermocline})
     * so that several clusters may share one ensemble.
     */
    public static ZooKeeperMetadataStore connect(String connectString, String root, Duration sessionTimeout) {
        CuratorFramework curator = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .namespace(root)
                .sessionTimeoutMs((int) sessionTimeout.toMillis())
                .connectionTimeoutMs(15_000)
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 2_000))
                .build();
        curator.start();
        try {
            if (!curator.blockUntilConnected(30, TimeUnit.SECONDS)) {
                curator.close();
                throw new ThermoclineStorageException("Cannot connect to ZooKeeper at " + connectString, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            curator.close();
            throw new IllegalStateException("Interrupted while connecting to ZooKeeper", e);
        }
        return new ZooKeeperMetadataStore(curator);
    }

    CuratorFramework curator() {
        return curator;
    }

    /** Whether the connection to ZooKeeper is up now (a moment's answer, for decisions that may skip it). */
    public boolean isConnected() {
        return curator.getZookeeperClient().isConnected();
    }

    /**
     * Tells {@code listener} when this store's connection drops, its session expires and it is
     * connected again. Curator opens a new session by itself after an expiry.
     */
    public void watchSession(ZkSessionListener listener) {
        AtomicBoolean lost = new AtomicBoolean();
        curator.getConnectionStateListenable().addListener((client, state) -> {
            switch (state) {
                case SUSPENDED -> listener.onSuspended();
                case LOST -> {
                    lost.set(true);
                    listener.onSessionLost();
                }
                case RECONNECTED -> listener.onReconnected(lost.getAndSet(false));
                default -> {
                    // CONNECTED happens once, before anyone watches; READ_ONLY is never asked for
                }
            }
        });
    }

    // ------------------------------------------------------------------ cluster

    /** The cluster's id, created by whoever asks first; it never changes while the metadata lives. */
    public String clusterId() {
        try {
            try {
                curator.create().creatingParentContainersIfNeeded().forPath(ZkPaths.CLUSTER_ID,
                        UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            } catch (KeeperException.NodeExistsException e) {
                // another server created it first
            }
            return new String(curator.getData().forPath(ZkPaths.CLUSTER_ID), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw failure("read the cluster id", e);
        }
    }

    // ------------------------------------------------------------------ databases

    public void createDatabase(String database, DatabaseRegistration registration) {
        TablePath.validateName("Database", database);
        try {
            curator.create().creatingParentContainersIfNeeded()
                    .forPath(ZkPaths.database(database), ZkRecords.toBytes(registration));
        } catch (KeeperException.NodeExistsException e) {
            throw new DatabaseAlreadyExistsException("Database '" + database + "' already exists");
        } catch (Exception e) {
            throw failure("create database " + database, e);
        }
    }

    public Optional<DatabaseRegistration> database(String database) {
        return read(ZkPaths.database(database), DatabaseRegistration.class);
    }

    public List<String> listDatabases() {
        return sorted(children(ZkPaths.DATABASES));
    }

    /** Drops a database; with {@code cascade} its tables too, else it must be empty. */
    public void dropDatabase(String database, boolean cascade) {
        requireDatabase(database);
        List<String> tables = listTables(database);
        if (!tables.isEmpty() && !cascade) {
            throw new DatabaseNotEmptyException("Database '" + database + "' still holds tables " + tables);
        }
        for (String table : tables) {
            dropTable(TablePath.of(database, table));
        }
        try {
            curator.delete().deletingChildrenIfNeeded().forPath(ZkPaths.database(database));
        } catch (KeeperException.NoNodeException e) {
            throw new DatabaseNotExistException("Database '" + database + "' does not exist");
        } catch (Exception e) {
            throw failure("drop database " + database, e);
        }
    }

    // ------------------------------------------------------------------ tables

    /** A new table id, unique in the cluster and never reused. */
    public long nextTableId() {
        return nextId(ZkPaths.TABLE_IDS, "table");
    }

    private long nextId(String parent, String kind) {
        try {
            String path = curator.create().creatingParentContainersIfNeeded()
                    .withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(parent + "/id-");
            curator.delete().forPath(path);
            return Long.parseLong(path.substring(path.lastIndexOf('-') + 1));
        } catch (Exception e) {
            throw failure("allocate a " + kind + " id", e);
        }
    }

    /**
     * Creates table, first schema and bucket assignment in one ZooKeeper transaction; a
     * partitioned table gets its assignments per partition instead ({@code assignment} null).
     */
    public void createTable(TableRegistration table, Schema schema, BucketAssignment assignment) {
        TablePath path = TablePath.of(table.database(), table.table());
        requireDatabase(table.database());
        try {
            ensureExists(ZkPaths.tables(table.database()));
            ensureExists(ZkPaths.TABLES);
            long id = table.tableId();
            List<CuratorOp> ops = new ArrayList<>(List.of(
                    curator.transactionOp().create().forPath(ZkPaths.table(path.database(), path.table()),
                            ZkRecords.toBytes(table)),
                    curator.transactionOp().create().forPath(ZkPaths.tableData(id), ZkRecords.toBytes(table)),
                    curator.transactionOp().create().forPath(ZkPaths.schemas(id)),
                    curator.transactionOp().create().forPath(ZkPaths.schema(id, schema.schemaId()),
                            SchemaJson.toJson(schema).getBytes(StandardCharsets.UTF_8))));
            if (assignment != null) {
                ops.add(curator.transactionOp().create().forPath(ZkPaths.assignment(id, TableBucket.NO_PARTITION),
                        ZkRecords.toBytes(assignment)));
            } else {
                ops.add(curator.transactionOp().create().forPath(ZkPaths.tablePartitions(id)));
            }
            curator.transaction().forOperations(ops);
        } catch (KeeperException.NodeExistsException e) {
            throw new TableAlreadyExistsException("Table " + path + " already exists");
        } catch (KeeperException.NoNodeException e) {
            throw new DatabaseNotExistException("Database '" + path.database() + "' does not exist");
        } catch (Exception e) {
            throw failure("create table " + path, e);
        }
    }

    /** Replaces a table's registration (its options), if nobody changed it since {@code expected} was read. */
    public void updateTable(TableRegistration expected, TableRegistration updated) {
        updateTable(expected, updated, null);
    }

    /**
     * Replaces a table's registration and, when {@code newSchema} is not null, registers that
     * schema in the same transaction (the registration names it as latest).
     */
    public void updateTable(TableRegistration expected, TableRegistration updated, Schema newSchema) {
        TablePath path = updated.path();
        try {
            Stat stat = new Stat();
            byte[] current = curator.getData().storingStatIn(stat).forPath(ZkPaths.tableData(updated.tableId()));
            if (!ZkRecords.fromBytes(current, TableRegistration.class, path.toString()).equals(expected)) {
                throw new ThermoclineStorageException("Table " + path + " changed while it was being altered; retry", null);
            }
            List<CuratorOp> ops = new ArrayList<>(List.of(
                    curator.transactionOp().setData().withVersion(stat.getVersion())
                            .forPath(ZkPaths.tableData(updated.tableId()), ZkRecords.toBytes(updated)),
                    curator.transactionOp().setData().forPath(ZkPaths.table(path.database(), path.table()),
                            ZkRecords.toBytes(updated))));
            if (newSchema != null) {
                ops.add(curator.transactionOp().create().forPath(ZkPaths.schema(updated.tableId(), newSchema.schemaId()),
                        SchemaJson.toJson(newSchema).getBytes(StandardCharsets.UTF_8)));
            }
            curator.transaction().forOperations(ops);
        } catch (KeeperException.NoNodeException e) {
            throw new TableNotExistException("Table " + path + " does not exist");
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
            throw new ThermoclineStorageException("Table " + path + " changed while it was being altered; retry", null);
        } catch (Exception e) {
            throw failure("alter table " + path, e);
        }
    }

    public Optional<TableRegistration> table(TablePath path) {
        return read(ZkPaths.table(path.database(), path.table()), TableRegistration.class);
    }

    /** A table by id, as tablet servers know tables. */
    public TableRegistration requireTable(long tableId) {
        return read(ZkPaths.tableData(tableId), TableRegistration.class)
                .orElseThrow(() -> new TableNotExistException("Table id " + tableId + " does not exist"));
    }

    /** The table's registration; throws {@link TableNotExistException} naming it when absent. */
    public TableRegistration requireTable(TablePath path) {
        return table(path).orElseThrow(() -> new TableNotExistException("Table " + path + " does not exist"));
    }

    /** Ids of every table in the cluster. */
    public List<Long> tableIds() {
        List<Long> ids = new ArrayList<>();
        for (String child : children(ZkPaths.TABLES)) {
            ids.add(Long.parseLong(child));
        }
        Collections.sort(ids);
        return ids;
    }

    public Optional<TableRegistration> table(long tableId) {
        return read(ZkPaths.tableData(tableId), TableRegistration.class);
    }

    public List<String> listTables(String database) {
        requireDatabase(database);
        return sorted(children(ZkPaths.tables(database)));
    }

    public void dropTable(TablePath path) {
        TableRegistration table = requireTable(path);
        try {
            curator.delete().forPath(ZkPaths.table(path.database(), path.table()));
            for (PartitionRegistration partition : partitions(table.tableId())) {
                deleteTree(ZkPaths.partitionData(partition.partitionId()));
            }
            curator.delete().deletingChildrenIfNeeded().forPath(ZkPaths.tableData(table.tableId()));
        } catch (KeeperException.NoNodeException e) {
            throw new TableNotExistException("Table " + path + " does not exist");
        } catch (Exception e) {
            throw failure("drop table " + path, e);
        }
    }

    public Schema schema(long tableId, int schemaId) {
        String path = ZkPaths.schema(tableId, schemaId);
        try {
            return SchemaJson.fromJson(new String(curator.getData().forPath(path), StandardCharsets.UTF_8));
        } catch (KeeperException.NoNodeException e) {
            throw new TableNotExistException("Table id " + tableId + " has no schema " + schemaId);
        } catch (Exception e) {
            throw failure("read schema " + schemaId + " of table id " + tableId, e);
        }
    }

    /** All schemas of a table, oldest first. */
    public List<Schema> schemas(long tableId) {
        List<Schema> schemas = new ArrayList<>();
        for (String id : children(ZkPaths.schemas(tableId))) {
            schemas.add(schema(tableId, Integer.parseInt(id)));
        }
        schemas.sort((a, b) -> Integer.compare(a.schemaId(), b.schemaId()));
        return schemas;
    }

    // ------------------------------------------------------------------ partitions

    /** A new idempotent writer id, unique in the cluster and never reused. */
    public long nextWriterId() {
        return nextId(ZkPaths.WRITER_IDS, "writer");
    }

    /** A new partition id, unique in the cluster and never reused. */
    public long nextPartitionId() {
        return nextId(ZkPaths.PARTITION_IDS, "partition");
    }

    /**
     * Creates a partition with its bucket assignment in one transaction that also checks the table
     * still exists. Throws {@link PartitionAlreadyExistsException} when its name is taken.
     */
    public void createPartition(TableRegistration table, PartitionRegistration partition, BucketAssignment assignment) {
        String where = "Table " + table.database() + "." + table.table() + " partition " + partition.name();
        try {
            ensureExists(ZkPaths.PARTITIONS);
            curator.transaction().forOperations(
                    curator.transactionOp().check().forPath(ZkPaths.tableData(table.tableId())),
                    curator.transactionOp().create().forPath(
                            ZkPaths.tablePartition(table.tableId(), partition.name()), ZkRecords.toBytes(partition)),
                    curator.transactionOp().create().forPath(
                            ZkPaths.partitionData(partition.partitionId()), ZkRecords.toBytes(partition)),
                    curator.transactionOp().create().forPath(
                            ZkPaths.assignment(table.tableId(), partition.partitionId()), ZkRecords.toBytes(assignment)));
        } catch (KeeperException.NodeExistsException e) {
            throw new PartitionAlreadyExistsException(where + " already exists");
        } catch (KeeperException.NoNodeException e) {
            throw new TableNotExistException("Table " + table.database() + "." + table.table() + " does not exist");
        } catch (Exception e) {
            throw failure("create " + where, e);
        }
    }

    /** A table's partitions, by name. */
    public List<PartitionRegistration> partitions(long tableId) {
        List<PartitionRegistration> partitions = new ArrayList<>();
        String parent = ZkPaths.tablePartitions(tableId);
        for (String child : children(parent)) {
            read(parent + "/" + child, PartitionRegistration.class).ifPresent(partitions::add);
        }
        partitions.sort((a, b) -> a.name().compareTo(b.name()));
        return partitions;
    }

    public Optional<PartitionRegistration> partition(long tableId, String name) {
        return read(ZkPaths.tablePartition(tableId, name), PartitionRegistration.class);
    }

    /** A partition by id, as tablet servers know partitions. */
    public Optional<PartitionRegistration> partition(long partitionId) {
        return read(ZkPaths.partitionData(partitionId), PartitionRegistration.class);
    }

    /** Removes a partition's metadata; its data goes when the coordinator stops its replicas. */
    public void dropPartition(PartitionRegistration partition) {
        try {
            curator.delete().forPath(ZkPaths.tablePartition(partition.tableId(), partition.name()));
            deleteTree(ZkPaths.partitionData(partition.partitionId()));
        } catch (KeeperException.NoNodeException e) {
            throw new PartitionNotExistException("Partition " + partition.name() + " of table id " + partition.tableId()
                    + " does not exist");
        } catch (Exception e) {
            throw failure("drop partition " + partition.name() + " of table id " + partition.tableId(), e);
        }
    }

    // ------------------------------------------------------------------ lake

    public Optional<LakeSnapshot> lakeSnapshot(long tableId) {
        return read(ZkPaths.lakeSnapshot(tableId), LakeSnapshot.class);
    }

    /** Records a table's newest lake snapshot; a table dropped meanwhile is a {@link TableNotExistException}. */
    public void setLakeSnapshot(long tableId, LakeSnapshot snapshot) {
        String path = ZkPaths.lakeSnapshot(tableId);
        try {
            if (curator.checkExists().forPath(ZkPaths.tableData(tableId)) == null) {
                throw new TableNotExistException("Table id " + tableId + " does not exist");
            }
            try {
                curator.setData().forPath(path, ZkRecords.toBytes(snapshot));
            } catch (KeeperException.NoNodeException e) {
                curator.create().forPath(path, ZkRecords.toBytes(snapshot));
            }
        } catch (Exception e) {
            throw failure("record the lake snapshot of table id " + tableId, e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void requireDatabase(String database) {
        TablePath.validateName("Database", database);
        if (database(database).isEmpty()) {
            throw new DatabaseNotExistException("Database '" + database + "' does not exist");
        }
    }

    private void ensureExists(String path) throws Exception {
        try {
            curator.create().creatingParentContainersIfNeeded().forPath(path);
        } catch (KeeperException.NodeExistsException ignored) {
            // there already
        }
    }

    private void deleteTree(String path) throws Exception {
        try {
            curator.delete().deletingChildrenIfNeeded().forPath(path);
        } catch (KeeperException.NoNodeException ignored) {
            // gone already
        }
    }

    // ------------------------------------------------------------------ users

    /** A user's stored credential (its encoded form, see ScramCredential), if the user exists. */
    public Optional<String> userCredential(String user) {
        try {
            return Optional.of(new String(curator.getData().forPath(ZkPaths.user(user)), StandardCharsets.UTF_8));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw failure("read the credential of user " + user, e);
        }
    }

    /**
     * The secret the cluster's servers share (unknown users' SCRAM answers, writer id tags), created by the
     * first server that asks.
     */
    public byte[] clusterSecret() {
        try {
            byte[] secret = new byte[32];
            new java.security.SecureRandom().nextBytes(secret);
            try {
                curator.create().creatingParentContainersIfNeeded().forPath(ZkPaths.CLUSTER_SECRET, secret);
            } catch (KeeperException.NodeExistsException e) {
                // another server created it first
            }
            return curator.getData().forPath(ZkPaths.CLUSTER_SECRET);
        } catch (Exception e) {
            throw failure("read the cluster secret", e);
        }
    }

    /** Creates the user, or replaces its credential. */
    public void setUserCredential(String user, String credential) {
        byte[] data = credential.getBytes(StandardCharsets.UTF_8);
        String path = ZkPaths.user(user);
        try {
            try {
                curator.setData().forPath(path, data);
            } catch (KeeperException.NoNodeException e) {
                curator.create().creatingParentsIfNeeded().forPath(path, data);
            }
        } catch (Exception e) {
            throw failure("store the credential of user " + user, e);
        }
    }

    /** Deletes the user; false when there was none. */
    public boolean deleteUser(String user) {
        try {
            curator.delete().forPath(ZkPaths.user(user));
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            throw failure("delete user " + user, e);
        }
    }

    public List<String> users() {
        return sorted(children(ZkPaths.USERS).stream()
                .map(name -> java.net.URLDecoder.decode(name, StandardCharsets.UTF_8)).toList());
    }

    // ------------------------------------------------------------------ access control

    public List<AclBinding> acls() {
        return read(ZkPaths.ACLS, ZkRecords.AclList.class).map(ZkRecords.AclList::acls).orElse(List.of());
    }

    /** Changes the ACLs by compare-and-set, retried on a concurrent change; returns the new list. */
    public List<AclBinding> updateAcls(java.util.function.UnaryOperator<List<AclBinding>> change) {
        try {
            while (true) {
                org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
                List<AclBinding> current;
                try {
                    current = ZkRecords.fromBytes(curator.getData().storingStatIn(stat).forPath(ZkPaths.ACLS),
                            ZkRecords.AclList.class, ZkPaths.ACLS).acls();
                } catch (KeeperException.NoNodeException e) {
                    current = null;
                }
                List<AclBinding> next = change.apply(current == null ? List.of() : current);
                byte[] data = ZkRecords.toBytes(new ZkRecords.AclList(next));
                try {
                    if (current == null) {
                        curator.create().creatingParentsIfNeeded().forPath(ZkPaths.ACLS, data);
                    } else {
                        curator.setData().withVersion(stat.getVersion()).forPath(ZkPaths.ACLS, data);
                    }
                    return next;
                } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
                    // changed meanwhile: apply the change to the newer list
                }
            }
        } catch (Exception e) {
            throw failure("change the ACLs", e);
        }
    }

    /** Calls {@code onChange} with the ACLs at once and whenever they change; close the result to stop. */
    public AutoCloseable watchAcls(java.util.function.Consumer<List<AclBinding>> onChange) {
        CuratorCache cache = CuratorCache.build(curator, ZkPaths.ACLS);
        Runnable reload = () -> onChange.accept(acls());
        cache.listenable().addListener(CuratorCacheListener.builder().forAll((type, before, after) -> reload.run())
                .forInitialized(reload).build());
        cache.start();
        return cache::close;
    }

    private <T> Optional<T> read(String path, Class<T> type) {
        return ZkNodes.read(curator, path, type);
    }

    private List<String> children(String path) {
        return ZkNodes.children(curator, path);
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        Collections.sort(copy);
        return copy;
    }

    private static RuntimeException failure(String what, Exception e) {
        return ZkNodes.failure(what, e);
    }

    @Override
    public void close() {
        curator.close();
    }
}

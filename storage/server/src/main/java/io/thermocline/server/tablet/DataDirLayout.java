package io.thermocline.server.tablet;

import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.utils.FileTrees;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a tablet server keeps its buckets: {@code table-<id>/bucket-<n>}, or
 * {@code table-<id>/partition-<id>/bucket-<n>} for partitions, under its data directory, and a
 * {@code meta.properties} that ties the directory to one cluster and one server id, so that a
 * directory is never served to another cluster (whose table ids would collide) or server.
 */
final class DataDirLayout {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirLayout.class);
    private static final Pattern TABLE_DIR = Pattern.compile("table-(\\d+)");
    private static final Pattern PARTITION_DIR = Pattern.compile("partition-(\\d+)");
    private static final Pattern BUCKET_DIR = Pattern.compile("bucket-(\\d+)");
    static final String META_FILE = "meta.properties";

    private DataDirLayout() {}

    static Path bucketDir(Path dataDir, TableBucket bucket) {
        Path table = dataDir.resolve("table-" + bucket.tableId());
        Path owner = bucket.isPartitioned() ? table.resolve("partition-" + bucket.partitionId()) : table;
        return owner.resolve("bucket-" + bucket.bucket());
    }

    /** Deletes a bucket's directory, and its partition's and table's once they are empty. */
    static void deleteBucket(Path dataDir, TableBucket bucket) {
        Path dir = bucketDir(dataDir, bucket);
        deleteTree(dir);
        for (Path parent = dir.getParent(); !parent.equals(dataDir); parent = parent.getParent()) {
            try (Stream<Path> children = Files.list(parent)) {
                if (children.findAny().isPresent()) {
                    return;
                }
                Files.deleteIfExists(parent);
            } catch (IOException e) {
                return; // gone already, or not ours to remove now
            }
        }
    }

    /**
     * Claims the data directory for this cluster and server, or refuses with
     * {@link InvalidConfigException} when it belongs to another.
     */
    static void claim(Path dataDir, String clusterId, int serverId) {
        Path meta = dataDir.resolve(META_FILE);
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(meta)) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(meta)) {
                    properties.load(reader);
                }
                String ownCluster = properties.getProperty("cluster.id");
                String ownServer = properties.getProperty("tablet-server.id");
                if (!clusterId.equals(ownCluster) || !String.valueOf(serverId).equals(ownServer)) {
                    throw new InvalidConfigException("Data directory " + dataDir + " belongs to tablet server " + ownServer
                            + " of cluster " + ownCluster + ", not to tablet server " + serverId + " of cluster "
                            + clusterId + " (the cluster ZooKeeper describes); give this server its own data.dir");
                }
                return;
            }
            Properties properties = new Properties();
            properties.setProperty("cluster.id", clusterId);
            properties.setProperty("tablet-server.id", String.valueOf(serverId));
            Path temp = dataDir.resolve(META_FILE + ".tmp");
            try (Writer writer = Files.newBufferedWriter(temp)) {
                properties.store(writer, "Thermocline tablet server data directory");
            }
            Files.move(temp, meta, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot claim data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the directories of tables and partitions that were dropped while this server was away,
     * and of buckets whose replicas moved to other servers meanwhile.
     */
    static void deleteDropped(Path dataDir, ZooKeeperMetadataStore store, int serverId) {
        try (DirectoryStream<Path> tables = Files.newDirectoryStream(dataDir, "table-*")) {
            for (Path table : tables) {
                Matcher tableId = TABLE_DIR.matcher(table.getFileName().toString());
                if (!tableId.matches()) {
                    continue;
                }
                long id = Long.parseLong(tableId.group(1));
                if (store.table(id).isEmpty()) {
                    LOG.info("Deleting {}: table id {} was dropped", table, id);
                    deleteTree(table);
                    continue;
                }
                deleteMovedAway(table, id, TableBucket.NO_PARTITION, store, serverId);
                try (DirectoryStream<Path> partitions = Files.newDirectoryStream(table, "partition-*")) {
                    for (Path partition : partitions) {
                        Matcher partitionId = PARTITION_DIR.matcher(partition.getFileName().toString());
                        if (!partitionId.matches()) {
                            continue;
                        }
                        long pid = Long.parseLong(partitionId.group(1));
                        if (store.partition(pid).filter(p -> p.tableId() == id).isEmpty()) {
                            LOG.info("Deleting {}: partition {} of table id {} was dropped", partition, pid, id);
                            deleteTree(partition);
                        } else {
                            deleteMovedAway(partition, id, pid, store, serverId);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot list data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Buckets whose replicas were moved off this server while it was down. */
    private static void deleteMovedAway(Path owner, long tableId, long partitionId, ZooKeeperMetadataStore store,
            int serverId) throws IOException {
        Map<Integer, List<Integer>> replicas;
        try {
            replicas = store.leadership().assignment(tableId, partitionId).replicas();
        } catch (RuntimeException e) {
            return; // a partitioned table has no assignment of its own; a dropped one is handled above
        }
        try (DirectoryStream<Path> buckets = Files.newDirectoryStream(owner, "bucket-*")) {
            for (Path bucket : buckets) {
                Matcher number = BUCKET_DIR.matcher(bucket.getFileName().toString());
                if (number.matches()) {
                    List<Integer> assigned = replicas.get(Integer.parseInt(number.group(1)));
                    if (assigned != null && !assigned.contains(serverId)) {
                        LOG.info("Deleting {}: its replicas moved to servers {}", bucket, assigned);
                        deleteTree(bucket);
                    }
                }
            }
        }
    }

    static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}

package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.testservers.S3Server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * KV snapshots in an S3 bucket (a real S3 API server on 127.0.0.1): a primary-key leader killed,
 * its local KV state deleted, restarts from the snapshot in the bucket and the changelog after it.
 */
class KvSnapshotsOnObjectStorageITCase {
    @TempDir
    static Path dir;
    static S3Server s3;
    static TestCluster cluster;

    @BeforeAll
    static void start() {
        S3Server.sdkEnvironment().forEach((name, value) -> System.setProperty(S3Server.systemProperty(name), value));
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket("kv-snapshots");
        TestCluster.Builder builder = TestCluster.builder().tabletServers(1)
                .serverOption("kv.snapshot.dir", "s3://kv-snapshots/cluster")
                .serverOption("kv.snapshot.interval", "200 ms")
                .serverOption("log.segment.size", "1 kb")
                .serverOption("log.retention.check-interval", "100 ms");
        // The lake's S3 settings reach the snapshot store; no lake catalog is needed for it.
        s3.icebergProperties().forEach((key, value) -> builder.serverOption("lake.catalog." + key, value));
        cluster = builder.build();
        cluster.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.stop();
        }
        if (s3 != null) {
            s3.stop();
        }
    }

    @Test
    void aLeaderWhoseLocalStateIsGoneRestoresFromTheBucket() throws Exception {
        TablePath path = TablePath.of("snap", "accounts");
        try (Connection connection = ConnectionFactory.create(cluster.clientConf())) {
            long rounds = KvSnapshotITCase.writeUntilRetentionDropsSnapshottedChangelog(connection, path);
            Path bucket = s3.storageDir().resolve("kv-snapshots").resolve("cluster");
            assertThat(files(bucket, ".sst")).as("SST files in the bucket").isNotEmpty();

            cluster.haltTabletServer(0);
            List<Path> kvDirs = kvDirs(cluster.tabletServerDataDir(0));
            assertThat(kvDirs).as("the bucket's local KV state").isNotEmpty();
            for (Path kv : kvDirs) {
                deleteTree(kv);
            }
            cluster.startTabletServer(0);
            KvSnapshotITCase.assertEveryAcknowledgedValue(connection, path, rounds);
        }
        assertThat(files(cluster.dataDir(), "files")).as("snapshot lists on local disk").isEmpty();
    }

    private static List<Path> kvDirs(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isDirectory).filter(p -> p.getFileName().toString().equals("kv"))
                    .collect(Collectors.toList());
        }
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix))
                    .collect(Collectors.toList());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(file);
            }
        }
    }
}

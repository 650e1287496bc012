package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * KV snapshots let retention drop a primary-key table's old changelog: a new leader without any
 * KV state restores the latest snapshot and replays the rest, and finds every acknowledged value.
 */
class KvSnapshotITCase {
    private static final Path SNAPSHOTS = temp();

    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3)
            .serverOption("kv.snapshot.dir", SNAPSHOTS.toString())
            .serverOption("kv.snapshot.interval", "200 ms")
            .serverOption("log.segment.size", "1 kb")
            .serverOption("log.retention.check-interval", "100 ms")
            .build();

    private static Path temp() {
        try {
            return Files.createTempDirectory("tc-kv-snapshots");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aNewLeaderRestoresTheLatestSnapshotWhenTheOldChangelogIsGone() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            TablePath path = TablePath.of("snap", "accounts");
            long rounds = writeUntilRetentionDropsSnapshottedChangelog(connection, path);
            TableInfo.BucketLeader before = admin.getTable(path).get().buckets().get(0);
            CLUSTER.haltTabletServer(before.leader());
            try {
                TestCluster.waitUntil(() -> {
                    TableInfo.BucketLeader now = admin.getTable(path).join().buckets().get(0);
                    return now.leader() >= 0 && now.leader() != before.leader();
                }, Duration.ofSeconds(30), "a new leader");
                assertEveryAcknowledgedValue(connection, path, rounds);
            } finally {
                CLUSTER.startTabletServer(before.leader());
            }
        }
    }

    /**
     * Creates {@code path} (one bucket, changelog kept 1 ms) and upserts until retention has dropped
     * changelog, which it may only once a snapshot covers it: keys 1000..1049 written once, early
     * (after retention only a snapshot holds them), then rounds over keys 0..49. Returns the rounds.
     */
    static long writeUntilRetentionDropsSnapshottedChangelog(Connection connection, TablePath path) throws Exception {
        Schema accounts = Schema.builder().column("id", DataTypes.INT().notNull()).column("balance", DataTypes.BIGINT())
                .primaryKey("id").build();
        Admin admin = connection.admin();
        admin.createDatabase(path.database(), null, true).get();
        admin.createTable(path, TableDescriptor.builder(accounts).buckets(1)
                .options(Map.of("table.log.ttl", "1 ms")).build(), false).get();
        long round = 0;
        try (UpsertWriter writer = connection.table(path).newUpsertWriter()) {
            for (int id = 1000; id < 1050; id++) {
                writer.upsert(GenericRow.of(id, (long) -id));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (admin.listOffsets(path, List.of(0), OffsetSpec.earliest()).get().get(0) == 0) {
                assertThat(System.nanoTime()).as("retention drops snapshotted changelog").isLessThan(deadline);
                for (int i = 0; i < 100; i++, round++) {
                    writer.upsert(GenericRow.of((int) (round % 50), round));
                }
                writer.flush();
            }
        }
        return round;
    }

    /** Lookups find every value {@link #writeUntilRetentionDropsSnapshottedChangelog} acknowledged. */
    static void assertEveryAcknowledgedValue(Connection connection, TablePath path, long rounds) throws Exception {
        Lookuper lookuper = connection.table(path).newLookuper();
        long last = rounds - 1;
        for (int id = 0; id < 50; id++) {
            long expected = last - Math.floorMod(last - id, 50);
            assertThat(lookuper.lookup(GenericRow.of(id)).get().map(r -> r.getLong(1))).as("key %d", id)
                    .contains(expected);
        }
        for (int id = 1000; id < 1050; id++) {
            assertThat(lookuper.lookup(GenericRow.of(id)).get().map(r -> r.getLong(1))).as("early key %d", id)
                    .contains((long) -id);
        }
    }
}

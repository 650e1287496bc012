package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.StagedBatches;
import io.thermocline.client.api.StagedWriter;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.server.utils.FileTrees;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Primary-key tables on three servers: upserts, deletes, partial updates, lookups, changelog, recovery. */
class PrimaryKeyTableITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3).build();

    private static final Schema ACCOUNTS = Schema.builder()
            .column("id", DataTypes.INT().notNull())
            .column("name", DataTypes.STRING())
            .column("balance", DataTypes.BIGINT())
            .primaryKey("id")
            .build();

    static Connection connection;
    static Admin admin;

    @BeforeAll
    static void connect() throws Exception {
        connection = ConnectionFactory.create(CLUSTER.clientConf());
        admin = connection.admin();
        admin.createDatabase("pk", null, true).get();
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    private static Table create(String name, TableDescriptor descriptor) throws Exception {
        TablePath path = TablePath.of("pk", name);
        admin.createTable(path, descriptor, false).get();
        return connection.table(path);
    }

    private static GenericRow account(int id, String name, Long balance) {
        return GenericRow.of(id, name == null ? null : BinaryString.fromString(name), balance);
    }

    private static List<Object> values(GenericRow row) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < row.fieldCount(); i++) {
            Object v = row.getField(i);
            values.add(v instanceof BinaryString ? v.toString() : v);
        }
        return values;
    }

    @Test
    void upsertsDeletesAndTheirChangelog() throws Exception {
        Table table = create("accounts", TableDescriptor.builder(ACCOUNTS).buckets(2).build());
        Lookuper lookuper = table.newLookuper();
        try (UpsertWriter writer = table.newUpsertWriter()) {
            writer.upsert(account(1, "ann", 10L)).get();
            assertThat(lookuper.lookup(GenericRow.of(1)).get().map(PrimaryKeyTableITCase::values))
                    .contains(List.of(1, "ann", 10L)); // read-your-writes after the ack
            writer.upsert(account(1, "ann", 25L)).get();
            writer.upsert(account(1, "ann", 25L)).get(); // no change: no changelog
            writer.upsert(account(2, "bob", 5L)).get();
            writer.delete(account(2, null, null)).get();
            writer.delete(account(3, null, null)).get(); // absent key: nothing
        }
        assertThat(lookuper.lookup(GenericRow.of(1)).get().map(PrimaryKeyTableITCase::values))
                .contains(List.of(1, "ann", 25L));
        assertThat(lookuper.lookup(GenericRow.of(2)).get()).isEmpty();
        assertThat(lookuper.lookupAll(List.of(GenericRow.of(2), GenericRow.of(1), GenericRow.of(7))).get())
                .extracting(o -> o.map(PrimaryKeyTableITCase::values).orElse(null))
                .containsExactly(null, List.of(1, "ann", 25L), null);

        List<String> changes = new ArrayList<>();
        for (ScanRecord record : readAll(table, 5)) {
            changes.add(record.changeType() + values(record.row()));
        }
        assertThat(changes).containsExactlyInAnyOrder("+I[1, ann, 10]", "-U[1, ann, 10]", "+U[1, ann, 25]",
                "+I[2, bob, 5]", "-D[2, bob, 5]");
    }

    @Test
    void randomOperationsMatchAModelAndTheChangelogReplaysToIt() throws Exception {
        for (long seed = 0; seed < 3; seed++) {
            Table table = create("random_" + seed, TableDescriptor.builder(ACCOUNTS).buckets(3).build());
            Random random = new Random(seed);
            Map<Integer, List<Object>> model = new TreeMap<>();
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            try (UpsertWriter writer = table.newUpsertWriter()) {
                for (int i = 0; i < 3000; i++) {
                    int id = random.nextInt(200);
                    if (random.nextInt(5) == 0) {
                        acks.add(writer.delete(account(id, null, null)));
                        model.remove(id);
                    } else {
                        long balance = random.nextInt(1000);
                        acks.add(writer.upsert(account(id, "n" + id, balance)));
                        model.put(id, List.of(id, "n" + id, balance));
                    }
                }
                writer.flush();
            }
            for (CompletableFuture<Void> ack : acks) {
                ack.get();
            }
            List<GenericRow> keys = new ArrayList<>();
            for (int id = 0; id < 200; id++) {
                keys.add(GenericRow.of(id));
            }
            List<Optional<GenericRow>> rows = table.newLookuper().lookupAll(keys).get();
            Map<Integer, List<Object>> looked = new TreeMap<>();
            rows.forEach(r -> r.ifPresent(row -> looked.put(row.getInt(0), values(row))));
            assertThat(looked).as("seed %d lookups", seed).isEqualTo(model);
            // The same keys as single lookups all in flight at once: they share requests per leader.
            Lookuper single = table.newLookuper();
            List<CompletableFuture<Optional<GenericRow>>> inFlight = new ArrayList<>();
            keys.forEach(key -> inFlight.add(single.lookup(key)));
            Map<Integer, List<Object>> lookedOneByOne = new TreeMap<>();
            for (CompletableFuture<Optional<GenericRow>> row : inFlight) {
                row.get().ifPresent(r -> lookedOneByOne.put(r.getInt(0), values(r)));
            }
            assertThat(lookedOneByOne).as("seed %d single lookups in flight", seed).isEqualTo(model);

            Map<Integer, List<Object>> replayed = new TreeMap<>();
            long total = 0;
            for (int b = 0; b < 3; b++) {
                total += admin.listOffsets(table.info().path(), List.of(b),
                        io.thermocline.client.api.OffsetSpec.latest()).get().get(b);
            }
            for (ScanRecord record : readAll(table, (int) total)) {
                int id = record.row().getInt(0);
                switch (record.changeType()) {
                    case "+I":
                    case "+U":
                        replayed.put(id, values(record.row()));
                        break;
                    case "-D":
                        replayed.remove(id);
                        break;
                    default:
                        assertThat(replayed.get(id)).isEqualTo(values(record.row()));
                }
            }
            assertThat(replayed).as("seed %d changelog replay", seed).isEqualTo(model);
        }
    }

    @Test
    void mergeEnginesAndDeleteBehaviorsApplyOnTheServer() throws Exception {
        Schema metrics = Schema.builder().column("id", DataTypes.INT().notNull()).column("total", DataTypes.BIGINT())
                .column("version", DataTypes.BIGINT()).primaryKey("id").build();
        Table summed = create("summed", TableDescriptor.builder(metrics).buckets(1).options(Map.of(
                "table.merge-engine", "AGGREGATION", "table.merge-engine.aggregation.functions", "total=sum,version=max"))
                .build());
        Table versioned = create("versioned", TableDescriptor.builder(metrics).buckets(1).options(Map.of(
                "table.merge-engine", "VERSIONED", "table.merge-engine.versioned.version-column", "version")).build());
        Table first = create("first", TableDescriptor.builder(metrics).buckets(1).options(Map.of(
                "table.merge-engine", "FIRST_ROW")).build());
        for (Table table : List.of(summed, versioned, first)) {
            try (UpsertWriter writer = table.newUpsertWriter()) {
                writer.upsert(GenericRow.of(1, 10L, 5L));
                writer.upsert(GenericRow.of(1, 20L, 3L));
                writer.upsert(GenericRow.of(1, 30L, 7L));
                writer.delete(GenericRow.of(1, null, null));
                writer.flush();
            }
        }
        // aggregation: sums and keeps the max version; deletes are ignored by default
        assertThat(summed.newLookuper().lookup(GenericRow.of(1)).get().map(PrimaryKeyTableITCase::values))
                .contains(List.of(1, 60L, 7L));
        // versioned: version 3 loses to 5, 7 wins; deletes are allowed by default
        assertThat(versioned.newLookuper().lookup(GenericRow.of(1)).get()).isEmpty();
        assertThat(readAll(versioned, 5)).extracting(r -> r.changeType() + values(r.row()))
                .containsExactly("+I[1, 10, 5]", "-U[1, 10, 5]", "+U[1, 30, 7]", "-D[1, 30, 7]");
        // first row: the first write stays, and deletes are ignored by default
        assertThat(first.newLookuper().lookup(GenericRow.of(1)).get().map(PrimaryKeyTableITCase::values))
                .contains(List.of(1, 10L, 5L));
        try (UpsertWriter writer = first.newUpsertWriter()) {
            assertThatThrownBy(() -> writer.upsert(GenericRow.of(1, "not a number", 1L)))
                    .isInstanceOf(io.thermocline.common.exception.SchemaException.class)
                    .hasMessageContaining("pk.first").hasMessageContaining("`total`");
        }
    }

    @Test
    void aWriterWhoseLastBatchChangedNothingKeepsWritingAfterALeaderChange() throws Exception {
        Table table = create("noop", TableDescriptor.builder(ACCOUNTS).buckets(1).build());
        TablePath path = table.info().path();
        try (UpsertWriter writer = table.newUpsertWriter()) {
            writer.upsert(account(1, "ann", 1L)).get();
            writer.upsert(account(1, "ann", 1L)).get(); // changes nothing: a no-op marker carries its sequence
            int leader = admin.getTable(path).get().buckets().get(0).leader();
            CLUSTER.stopTabletServer(leader); // leadership moves politely
            try {
                writer.upsert(account(1, "ann", 2L)).get(60, TimeUnit.SECONDS);
            } finally {
                CLUSTER.startTabletServer(leader);
            }
        }
        assertThat(table.newLookuper().lookup(GenericRow.of(1)).get().map(PrimaryKeyTableITCase::values))
                .contains(List.of(1, "ann", 2L));
    }

    /**
     * An exactly-once sink's batches that changed nothing are in the replicated log (as no-op
     * markers): after a leader change the writer's next batch is no gap, and a restored job's
     * commit of the same batches again changes nothing twice.
     */
    @Test
    void stagedBatchesThatChangedNothingSurviveALeaderChange() throws Exception {
        Table table = create("staged_noop", TableDescriptor.builder(ACCOUNTS).buckets(1).build());
        TablePath path = table.info().path();
        try (StagedWriter writer = table.newStagedWriter()) {
            writer.write(account(1, "ann", 1L));
            StagedBatches first = writer.stage();
            writer.write(account(1, "ann", 1L)); // changes nothing
            StagedBatches noOp = writer.stage();
            writer.commit(first).get();
            writer.commit(noOp).get();
            assertThat(admin.listOffsets(path, List.of(0), OffsetSpec.latest()).get().get(0))
                    .as("+I, then the no-op marker").isEqualTo(2L);
            int leader = admin.getTable(path).get().buckets().get(0).leader();
            CLUSTER.stopTabletServer(leader); // leadership moves politely
            try {
                writer.write(account(1, "ann", 2L));
                StagedBatches next = writer.stage();
                writer.commit(next).get(60, TimeUnit.SECONDS);
                // A job restored from the checkpoint that held both commits them again: both are known.
                writer.commit(StagedBatches.fromBytes(noOp.toBytes())).get(60, TimeUnit.SECONDS);
                writer.commit(StagedBatches.fromBytes(next.toBytes())).get(60, TimeUnit.SECONDS);
            } finally {
                CLUSTER.startTabletServer(leader);
            }
        }
        assertThat(table.newLookuper().lookup(GenericRow.of(1)).get().map(PrimaryKeyTableITCase::values))
                .contains(List.of(1, "ann", 2L));
        List<String> changelog = new ArrayList<>();
        try (LogScanner scanner = table.newLogScanner()) {
            scanner.subscribe(0, LogScanner.EARLIEST);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (scanner.position(TableBucket.NO_PARTITION, 0) < 4 && System.nanoTime() < deadline) {
                scanner.poll(Duration.ofMillis(500)).forEach(r -> changelog.add(r.changeType() + values(r.row())));
            }
            assertThat(scanner.position(TableBucket.NO_PARTITION, 0)).as("past the marker and the update").isEqualTo(4);
        }
        assertThat(changelog).containsExactly("+I[1, ann, 1]", "-U[1, ann, 1]", "+U[1, ann, 2]");
        assertThat(admin.listOffsets(path, List.of(0), OffsetSpec.latest()).get().get(0)).isEqualTo(4L);
    }

    @Test
    void partialUpdateWritersOnDisjointColumnsConverge() throws Exception {
        Table table = create("profiles", TableDescriptor.builder(ACCOUNTS).buckets(2).build());
        try (UpsertWriter names = table.newUpsertWriter("id", "name");
                UpsertWriter balances = table.newUpsertWriter("id", "balance")) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int id = 0; id < 100; id++) {
                acks.add(names.upsert(account(id, "name" + id, null)));
                acks.add(balances.upsert(account(id, null, (long) id * 10)));
            }
            names.flush();
            balances.flush();
            for (CompletableFuture<Void> ack : acks) {
                ack.get();
            }
        }
        Lookuper lookuper = table.newLookuper();
        for (int id = 0; id < 100; id++) {
            assertThat(lookuper.lookup(GenericRow.of(id)).get().map(PrimaryKeyTableITCase::values))
                    .contains(List.of(id, "name" + id, (long) id * 10));
        }
    }

    @Test
    void prefixLookupsFindEveryRowOfABucketKey() throws Exception {
        Schema orders = Schema.builder().column("customer", DataTypes.INT().notNull())
                .column("order_id", DataTypes.BIGINT().notNull()).column("amount", DataTypes.BIGINT())
                .primaryKey("customer", "order_id").build();
        Table table = create("orders", TableDescriptor.builder(orders).buckets(3, "customer").build());
        try (UpsertWriter writer = table.newUpsertWriter()) {
            for (int customer = 0; customer < 5; customer++) {
                for (long order = 0; order < customer + 1; order++) {
                    writer.upsert(GenericRow.of(customer, order, order * 100));
                }
            }
            writer.flush();
        }
        Lookuper lookuper = table.newLookuper();
        assertThat(lookuper.prefixLookup(GenericRow.of(3)).get()).extracting(r -> r.getLong(1))
                .containsExactly(0L, 1L, 2L, 3L);
        assertThat(lookuper.prefixLookup(GenericRow.of(9)).get()).isEmpty();
    }

    @Test
    void badWritesGetTypedErrorsNamingTheProblem() throws Exception {
        Schema strict = Schema.builder().column("id", DataTypes.INT().notNull()).column("qty", DataTypes.INT().notNull())
                .column("note", DataTypes.STRING()).primaryKey("id").build();
        Table table = create("strict", TableDescriptor.builder(strict).buckets(1)
                .options(Map.of("table.delete.behavior", "DISABLE")).build());
        try (UpsertWriter writer = table.newUpsertWriter()) {
            assertThatThrownBy(() -> writer.upsert(GenericRow.of(null, 1, null)).get())
                    .cause().isInstanceOf(InvalidRecordException.class).hasMessageContaining("pk.strict")
                    .hasMessageContaining("`id`");
            writer.upsert(GenericRow.of(1, 5, null)).get();
            assertThatThrownBy(() -> writer.delete(GenericRow.of(1, 5, null)).get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(InvalidRecordException.class).hasMessageContaining("pk.strict")
                    .hasMessageContaining("DISABLE");
        }
        assertThatThrownBy(() -> table.newUpsertWriter("qty", "note"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("key column `id`");
        assertThatThrownBy(() -> table.newUpsertWriter("id", "note"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("`qty`")
                .hasMessageContaining("NOT NULL");
        assertThatThrownBy(table::newAppendWriter).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("upsert writer");
        assertThat(table.newLookuper().lookup(GenericRow.of(1)).get().map(PrimaryKeyTableITCase::values))
                .contains(Arrays.asList(1, 5, null)); // nothing acknowledged was lost
        assertThatThrownBy(() -> create("bad_engine", TableDescriptor.builder(strict)
                .options(Map.of("table.merge-engine", "VERSIONED")).build()))
                .cause().isInstanceOf(InvalidConfigException.class).hasMessageContaining("version-column");
    }

    @Test
    void aNewLeaderWithoutKvStateRebuildsItFromTheChangelog() throws Exception {
        Table table = create("recovered", TableDescriptor.builder(ACCOUNTS).buckets(1).build());
        TablePath path = table.info().path();
        try (UpsertWriter writer = table.newUpsertWriter()) {
            for (int i = 0; i < 500; i++) {
                writer.upsert(account(i % 100, "n" + i, (long) i));
            }
            writer.flush();
        }
        TableInfo.BucketLeader before = admin.getTable(path).get().buckets().get(0);
        CLUSTER.haltTabletServer(before.leader());
        FileTrees.delete(CLUSTER.tabletServerDataDir(before.leader()).resolve("table-" + table.info().tableId())
                .resolve("bucket-0").resolve("kv"));
        try {
            TestCluster.waitUntil(() -> {
                TableInfo.BucketLeader now = admin.getTable(path).join().buckets().get(0);
                return now.leader() >= 0 && now.leader() != before.leader();
            }, Duration.ofSeconds(30), "a new leader");
            Lookuper lookuper = connection.table(path).newLookuper();
            for (int id = 0; id < 100; id++) {
                int last = 400 + id;
                assertThat(lookuper.lookup(GenericRow.of(id)).get().map(PrimaryKeyTableITCase::values))
                        .contains(List.of(id, "n" + last, (long) last));
            }
        } finally {
            CLUSTER.startTabletServer(before.leader());
        }
    }

    private static List<ScanRecord> readAll(Table table, int expected) {
        List<ScanRecord> rows = new ArrayList<>();
        try (LogScanner scanner = table.newLogScanner()) {
            for (int b = 0; b < table.info().bucketCount(); b++) {
                scanner.subscribe(b, LogScanner.EARLIEST);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (rows.size() < expected && System.nanoTime() < deadline) {
                rows.addAll(scanner.poll(Duration.ofMillis(500)));
            }
        }
        return rows;
    }
}

package io.thermocline.benchmarks.chaos;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.lake.LakeCatalog;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The checks at the end of a chaos run, each against the model the workload kept: every
 * acknowledged row read back once and in order per bucket (by the reader that ran during the
 * faults and by a fresh one), the primary-key table's lookups and its changelog replayed equal to
 * the model, the lake holding no row twice and, once tiered to the end, the same rows, and a union
 * read through Flink SQL equal to the model. Each check is a named count of wrong rows: 0 passes.
 */
final class ChaosVerdict {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChaosVerdict.class);
    private static final List<Integer> BUCKET_LIST = java.util.stream.IntStream.range(0, ChaosWorkload.BUCKETS).boxed()
            .toList();

    private final Map<String, Long> counts = new LinkedHashMap<>();

    Map<String, Long> counts() {
        return counts;
    }

    boolean passed() {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith("wrong: ")).allMatch(e -> e.getValue() == 0);
    }

    static ChaosVerdict check(ChaosWorkload workload, Admin admin, Table events, Table accounts, TablePath eventsPath,
            TablePath accountsPath, Path warehouse, String bootstrapServers) throws Exception {
        ChaosVerdict verdict = new ChaosVerdict();
        BitSet acked;
        synchronized (workload.ackedIds) {
            acked = (BitSet) workload.ackedIds.clone();
        }
        verdict.counts.put("rows appended", workload.appended.get());
        verdict.counts.put("rows acknowledged", (long) acked.cardinality());
        verdict.counts.put("upserts acknowledged", workload.upsertsAcked.get());
        verdict.counts.put("wrong: writes that failed for good", workload.firstFailure.get() == null ? 0L : 1L);
        verdict.counts.put("wrong: appends never acknowledged", workload.appended.get() - acked.cardinality());

        BitSet streamed;
        synchronized (workload.readIds) {
            streamed = (BitSet) workload.readIds.clone();
        }
        verdict.counts.put("wrong: acknowledged rows the streaming reader missed", missing(acked, streamed));
        verdict.counts.put("wrong: rows the streaming reader saw twice", workload.readDuplicates.get());
        verdict.counts.put("wrong: rows the streaming reader saw out of order", workload.readOutOfOrder.get());

        Map<Integer, Long> model = workload.accountsModel();
        verdict.step("the re-read from the start", () -> verdict.scanAgain(events, acked, workload.appended.get()));
        verdict.step("the primary-key checks", () -> verdict.checkAccounts(model, accounts, admin, accountsPath));
        boolean tiered = verdict.step("tiering to the end of " + eventsPath, () -> verdict.awaitTiered(admin, eventsPath))
                & verdict.step("tiering to the end of " + accountsPath, () -> verdict.awaitTiered(admin, accountsPath));
        if (tiered) {
            verdict.step("the lake checks", () -> verdict.checkLake(warehouse, eventsPath, accountsPath, acked, model));
            verdict.step("the union read", () -> verdict.checkUnionRead(bootstrapServers, eventsPath, accountsPath, acked,
                    model));
        }
        return verdict;
    }

    /** A check that must end; one that throws is itself a failure, and the others still run. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private boolean step(String name, Step step) {
        try {
            step.run();
            return true;
        } catch (Exception e) {
            LOG.error("Chaos check '{}' did not complete", name, e);
            String why = String.valueOf(e.getMessage());
            counts.put("wrong: " + name + " did not complete (" + why.substring(0, Math.min(300, why.length())) + ")",
                    1L);
            return false;
        }
    }

    private static long missing(BitSet expected, BitSet seen) {
        BitSet lost = (BitSet) expected.clone();
        lost.andNot(seen);
        return lost.cardinality();
    }

    private void scanAgain(Table events, BitSet acked, long written) {
        BitSet seen = new BitSet();
        long duplicates = 0;
        long outOfOrder = 0;
        long[] last = new long[ChaosWorkload.BUCKETS];
        java.util.Arrays.fill(last, -1);
        long read = 0;
        try (LogScanner scanner = events.newLogScanner()) {
            for (int b = 0; b < ChaosWorkload.BUCKETS; b++) {
                scanner.subscribe(b, LogScanner.EARLIEST);
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (read < written && System.nanoTime() < deadline) {
                for (ScanRecord record : scanner.poll(Duration.ofSeconds(1))) {
                    long id = record.row().getLong(0);
                    duplicates += seen.get((int) id) ? 1 : 0;
                    seen.set((int) id);
                    outOfOrder += id <= last[record.bucket()] ? 1 : 0;
                    last[record.bucket()] = id;
                    read++;
                }
            }
        }
        counts.put("wrong: acknowledged rows lost (read again from the start)", missing(acked, seen));
        counts.put("wrong: rows read twice", duplicates);
        counts.put("wrong: rows out of order in their bucket", outOfOrder);
    }

    private void checkAccounts(Map<Integer, Long> model, Table accounts, Admin admin, TablePath path) throws Exception {
        Lookuper lookuper = accounts.newLookuper();
        long wrongLookups = 0;
        for (int key = 0; key < ChaosWorkload.KEYS; key++) {
            Long expected = model.get(key);
            Long found = lookuper.lookup(GenericRow.of(key)).get().map(row -> row.getLong(1)).orElse(null);
            wrongLookups += java.util.Objects.equals(expected, found) ? 0 : 1;
        }
        counts.put("wrong: primary keys whose lookup differs from the model", wrongLookups);

        Map<Integer, Long> replayed = new HashMap<>();
        try (LogScanner scanner = accounts.newLogScanner()) {
            for (int b = 0; b < ChaosWorkload.BUCKETS; b++) {
                scanner.subscribe(b, LogScanner.EARLIEST);
            }
            // Every change up to the changelog's end now (writes have stopped) is replayed.
            Map<Integer, Long> ends = admin.listOffsets(path, BUCKET_LIST, OffsetSpec.latest()).get();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (ends.entrySet().stream().anyMatch(e -> scanner.position(TableBucket.NO_PARTITION, e.getKey())
                    < e.getValue()) && System.nanoTime() < deadline) {
                for (ScanRecord record : scanner.poll(Duration.ofSeconds(1))) {
                    int key = record.row().getInt(0);
                    switch (record.changeType()) {
                        case "+I", "+U" -> replayed.put(key, record.row().getLong(1));
                        case "-D" -> replayed.remove(key);
                        default -> {
                            // -U: the +U that follows says the new value
                        }
                    }
                }
            }
        }
        counts.put("wrong: primary keys whose changelog replay differs from the model", differences(model, replayed));
    }

    private static long differences(Map<Integer, Long> expected, Map<Integer, Long> actual) {
        long wrong = 0;
        for (Map.Entry<Integer, Long> entry : expected.entrySet()) {
            wrong += entry.getValue().equals(actual.get(entry.getKey())) ? 0 : 1;
        }
        wrong += actual.keySet().stream().filter(k -> !expected.containsKey(k)).count();
        return wrong;
    }

    /**
     * Waits until the lake holds every bucket up to its end, as long as tiering makes progress: a
     * long run leaves a lag to catch up with, a stuck one fails after two minutes without a commit.
     * Records how long the catch-up took.
     */
    private void awaitTiered(Admin admin, TablePath path) throws Exception {
        Map<Integer, Long> ends = admin.listOffsets(path, BUCKET_LIST, OffsetSpec.latest()).get();
        long tableId = admin.getTable(path).get().tableId();
        long start = System.nanoTime();
        long lastProgress = start;
        long lastSnapshot = Long.MIN_VALUE;
        while (true) {
            Optional<LakeSnapshot> snapshot = LakeCommits.current(admin, path);
            if (snapshot.isPresent() && ends.entrySet().stream().allMatch(e -> snapshot.get().endOffsets()
                    .getOrDefault(new TableBucket(tableId, e.getKey()), 0L) >= e.getValue())) {
                counts.put("seconds the lake took to catch up with " + path + " after the writes stopped",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
                return;
            }
            long id = snapshot.map(LakeSnapshot::snapshotId).orElse(Long.MIN_VALUE);
            if (id != lastSnapshot) {
                lastSnapshot = id;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.MINUTES.toNanos(2)) {
                throw new IllegalStateException("Tiering of " + path + " made no progress for 2 minutes short of "
                        + ends + ": " + snapshot.map(LakeSnapshot::endOffsets).orElse(null));
            }
            Thread.sleep(200);
        }
    }

    private void checkLake(Path warehouse, TablePath eventsPath, TablePath accountsPath, BitSet acked,
            Map<Integer, Long> model) throws Exception {
        HadoopCatalog catalog = new HadoopCatalog(new Configuration(), warehouse.toString());
        try {
            BitSet inLake = new BitSet();
            long rows = 0;
            long twice = 0;
            try (CloseableIterable<Record> records = IcebergGenerics.read(catalog.loadTable(LakeCatalog
                    .identifier(eventsPath))).select("id").build()) {
                for (Record record : records) {
                    int id = (int) (long) (Long) record.getField("id");
                    twice += inLake.get(id) ? 1 : 0;
                    inLake.set(id);
                    rows++;
                }
            }
            counts.put("rows in the lake", rows);
            counts.put("wrong: rows in the lake twice", twice);
            counts.put("wrong: acknowledged rows not in the lake", missing(acked, inLake));
            Map<Integer, Long> lakeAccounts = new HashMap<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(catalog.loadTable(LakeCatalog
                    .identifier(accountsPath))).select("id", "balance").build()) {
                for (Record record : records) {
                    Long previous = lakeAccounts.put((Integer) record.getField("id"), (Long) record.getField("balance"));
                    if (previous != null) {
                        counts.merge("wrong: primary keys in the lake twice", 1L, Long::sum);
                    }
                }
            }
            counts.putIfAbsent("wrong: primary keys in the lake twice", 0L);
            counts.put("wrong: primary keys whose lake row differs from the model", differences(model, lakeAccounts));
        } finally {
            catalog.close();
        }
    }

    private void checkUnionRead(String bootstrapServers, TablePath eventsPath, TablePath accountsPath, BitSet acked,
            Map<Integer, Long> model) throws Exception {
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        sql.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '" + bootstrapServers + "')");
        sql.executeSql("USE CATALOG tc");
        try (CloseableIterator<Row> result = sql.executeSql("SELECT COUNT(*), COUNT(DISTINCT id) FROM `"
                + eventsPath.database() + "`.`" + eventsPath.table() + "`").collect()) {
            Row row = result.next();
            long all = ((Number) row.getField(0)).longValue();
            long distinct = ((Number) row.getField(1)).longValue();
            counts.put("wrong: rows a union read sees twice", all - distinct);
            counts.put("wrong: acknowledged rows a union read misses", Math.max(0, acked.cardinality() - distinct));
        }
        Map<Integer, Long> union = new TreeMap<>();
        try (CloseableIterator<Row> result = sql.executeSql("SELECT id, balance FROM `" + accountsPath.database()
                + "`.`" + accountsPath.table() + "`").collect()) {
            result.forEachRemaining(row -> union.put((Integer) row.getField(0), (Long) row.getField(1)));
        }
        counts.put("wrong: primary keys whose union read differs from the model", differences(model, union));
    }

}

package io.thermocline.benchmarks.versus;

import io.thermocline.benchmarks.peers.DriverResult;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads a lake case's Iceberg table the same way for every system: waits until its snapshots hold
 * every row written, then takes each snapshot's appended rows and their write time (column 0, epoch
 * milliseconds) against the snapshot's commit time. Freshness is commit time minus write time per
 * row; lake throughput is the rows over the time from the first write to the commit of the last row.
 */
final class LakeVisibility {
    private LakeVisibility() {}

    static Map<String, Double> measure(Path warehouse, String table, long rows, Duration timeout) throws Exception {
        TableIdentifier id = TableIdentifier.of(Namespace.of("bench"), table);
        try (HadoopCatalog catalog = new HadoopCatalog(new Configuration(), warehouse.toString())) {
            Table iceberg = awaitRows(catalog, id, rows, timeout);
            List<Snapshot> snapshots = new ArrayList<>();
            iceberg.snapshots().forEach(snapshots::add);
            snapshots.sort(Comparator.comparingLong(Snapshot::sequenceNumber));
            long[] freshness = new long[(int) rows];
            int seen = 0;
            long firstWrite = Long.MAX_VALUE;
            long lastCommit = 0;
            Long previous = null;
            for (Snapshot snapshot : snapshots) {
                IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(iceberg).select("c0");
                scan = previous == null ? scan.useSnapshot(snapshot.snapshotId())
                        : scan.appendsBetween(previous, snapshot.snapshotId());
                try (CloseableIterable<Record> added = scan.build()) {
                    for (Record record : added) {
                        long written = (Long) record.getField("c0");
                        if (seen == freshness.length) {
                            throw new IllegalStateException(table + ": the lake holds more rows than the " + rows
                                    + " written");
                        }
                        freshness[seen++] = snapshot.timestampMillis() - written;
                        firstWrite = Math.min(firstWrite, written);
                        lastCommit = Math.max(lastCommit, snapshot.timestampMillis());
                    }
                }
                previous = snapshot.snapshotId();
            }
            if (seen != rows) {
                throw new IllegalStateException(table + ": the lake's snapshots add " + seen + " rows, not " + rows);
            }
            long[] nanos = new long[freshness.length];
            for (int i = 0; i < freshness.length; i++) {
                nanos[i] = freshness[i] * 1_000_000L;
            }
            Map<String, Double> result = new java.util.TreeMap<>(new DriverResult().latencies(nanos).values());
            result.put("max_ms", java.util.Arrays.stream(freshness).max().orElse(0) / 1.0);
            result.put("lake_rows_per_s", rows / Math.max(0.001, (lastCommit - firstWrite) / 1000.0));
            result.put("snapshots", (double) snapshots.size());
            return result;
        }
    }

    private static Table awaitRows(HadoopCatalog catalog, TableIdentifier id, long rows, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long held = 0;
        while (System.nanoTime() < deadline) {
            try {
                Table table = catalog.loadTable(id);
                Snapshot current = table.currentSnapshot();
                held = current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-records", "0"));
                if (held >= rows) {
                    return table;
                }
            } catch (NoSuchTableException e) {
                // not created yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(id + ": the lake holds " + held + " of " + rows + " rows after " + timeout);
    }
}

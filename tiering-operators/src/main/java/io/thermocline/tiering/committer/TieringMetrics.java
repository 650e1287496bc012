package io.thermocline.tiering.committer;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileContent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiering job's metrics, in Flink's metric system (so any Flink metric reporter exports them,
 * Prometheus included): rounds committed, failed and conflicting, and per table ({@code table}
 * variable) the records and files tiered, the last commit's time and duration, and the seconds
 * since it: how stale the lake is.
 */
final class TieringMetrics {
    private final MetricGroup group;
    private final Counter committed;
    private final Counter failed;
    private final Counter conflicts;
    private final Map<String, TableMetrics> tables = new HashMap<>();

    TieringMetrics(MetricGroup group) {
        this.group = group;
        committed = group.counter("tieringRoundsCommitted");
        failed = group.counter("tieringRoundsFailed");
        conflicts = group.counter("tieringRoundsConflicting");
    }

    void committed(String table, List<ContentFile<?>> files, long durationMs) {
        committed.inc();
        TableMetrics metrics = tables.computeIfAbsent(table, t -> new TableMetrics(group.addGroup("table", t)));
        metrics.records.inc(files.stream().filter(f -> f.content() == FileContent.DATA)
                .mapToLong(ContentFile::recordCount).sum());
        metrics.files.inc(files.size());
        metrics.lastCommitMs = System.currentTimeMillis();
        metrics.lastCommitDurationMs = durationMs;
    }

    void failed() {
        failed.inc();
    }

    void conflicting() {
        conflicts.inc();
    }

    private static final class TableMetrics {
        final Counter records;
        final Counter files;
        volatile long lastCommitMs;
        volatile long lastCommitDurationMs;

        TableMetrics(MetricGroup group) {
            records = group.counter("tieredRecords");
            files = group.counter("tieredFiles");
            group.gauge("lastCommitTimestamp", (Gauge<Long>) () -> lastCommitMs);
            group.gauge("lastCommitDurationMs", (Gauge<Long>) () -> lastCommitDurationMs);
            group.gauge("secondsSinceLastCommit", (Gauge<Double>) () -> (System.currentTimeMillis() - lastCommitMs) / 1000.0);
        }
    }
}

package io.thermocline.server.tablet;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.log.LogAppendInfo;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;
import java.util.Map;

/**
 * A tablet server's own metrics: what it wrote and looked up per table, and for every bucket it
 * leads its in-sync replicas, high watermark and, for lake-enabled tables, how many records the
 * lake still lacks. Bucket gauges are read when scraped, never kept.
 */
final class TabletServerMetrics {
    private static final String[] BUCKET_LABELS = {"table", "partition", "bucket"};

    private final ReplicaManager replicas;
    private final Counter writtenRows;
    private final Counter writtenBytes;
    private final Counter lookupKeys;

    TabletServerMetrics(ReplicaManager replicas, PrometheusRegistry registry) {
        this.replicas = replicas;
        writtenRows = Counter.builder().name("thermocline_written_rows_total")
                .help("Rows appended as leader (log rows, or changelog rows of primary-key tables), by table")
                .labelNames("table").register(registry);
        writtenBytes = Counter.builder().name("thermocline_written_bytes_total")
                .help("Bytes of log batches appended as leader, by table").labelNames("table").register(registry);
        lookupKeys = Counter.builder().name("thermocline_lookup_keys_total")
                .help("Keys looked up (point and prefix lookups), by table").labelNames("table").register(registry);
        GaugeWithCallback.builder().name("thermocline_leader_buckets").help("Buckets this server leads")
                .callback(cb -> cb.call(replicas.leaders().size())).register(registry);
        GaugeWithCallback.builder().name("thermocline_under_replicated_buckets")
                .help("Led buckets with fewer in-sync replicas than assigned replicas")
                .callback(cb -> cb.call(replicas.leaders().stream().filter(r -> r.isr().size() < r.replicaCount())
                        .count())).register(registry);
        GaugeWithCallback.builder().name("thermocline_bucket_in_sync_replicas")
                .help("In-sync replicas of each led bucket").labelNames(BUCKET_LABELS)
                .callback(cb -> replicas.leaders().forEach(r -> cb.call(r.isr().size(), labels(r.bucket()))))
                .register(registry);
        GaugeWithCallback.builder().name("thermocline_bucket_high_watermark")
                .help("High watermark (committed end offset) of each led bucket").labelNames(BUCKET_LABELS)
                .callback(cb -> replicas.leaders().forEach(r -> cb.call(r.highWatermark(), labels(r.bucket()))))
                .register(registry);
        GaugeWithCallback.builder().name("thermocline_bucket_tiering_lag_records")
                .help("Committed records of each led bucket of a lake-enabled table that the lake does not hold yet")
                .labelNames(BUCKET_LABELS).callback(this::tieringLag).register(registry);
    }

    void written(long tableId, LogAppendInfo info) {
        String table = tableName(tableId);
        writtenRows.labelValues(table).inc(info.recordCount());
        writtenBytes.labelValues(table).inc(info.sizeInBytes());
    }

    void lookedUp(long tableId, int keys) {
        lookupKeys.labelValues(tableName(tableId)).inc(keys);
    }

    private void tieringLag(GaugeWithCallback.Callback cb) {
        List<Replica> lakeLeaders = replicas.leaders().stream().filter(r -> lakeEnabled(r.bucket().tableId())).toList();
        if (lakeLeaders.isEmpty()) {
            return;
        }
        Map<TableBucket, Long> tiered = replicas.tieredOffsetsNow();
        for (Replica replica : lakeLeaders) {
            long lag = replica.highWatermark() - tiered.getOrDefault(replica.bucket(), 0L);
            cb.call(Math.max(0, lag), labels(replica.bucket()));
        }
    }

    private boolean lakeEnabled(long tableId) {
        return new Configuration(replicas.table(tableId).registration().options()).get(TableOptions.DATALAKE_ENABLED);
    }

    private String[] labels(TableBucket bucket) {
        return new String[] {tableName(bucket.tableId()), bucket.isPartitioned() ? Long.toString(bucket.partitionId())
                : "", Integer.toString(bucket.bucket())};
    }

    private String tableName(long tableId) {
        try {
            return replicas.table(tableId).registration().path().toString();
        } catch (RuntimeException e) {
            return "id-" + tableId; // dropped meanwhile
        }
    }
}

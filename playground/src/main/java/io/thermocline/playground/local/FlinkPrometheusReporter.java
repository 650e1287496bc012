package io.thermocline.playground.local;

import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the embedded Flink's metrics (the tiering job's among them) to Prometheus at
 * {@code /metrics} on the {@code port} of its reporter configuration. Flink's own Prometheus
 * reporter is not published for the Flink version we run, so {@code thermocline local} brings this
 * small one: counters, numeric gauges and meter rates, as gauges named by their logical scope
 * ({@code flink_taskmanager_job_task_operator_table_tieredRecords}) with Flink's variables as labels.
 */
public final class FlinkPrometheusReporter implements MetricReporter {
    static final String PORT = "port";
    private static final CharacterFilter SCOPE_FILTER = text -> text.replaceAll("[^a-zA-Z0-9_]", "_");

    private record Registered(String name, Labels labels, Metric metric) {}

    private final Map<Metric, Registered> metrics = new ConcurrentHashMap<>();
    private HTTPServer http;

    /** Flink creates reporters through this factory, named in {@code metrics.reporter.NAME.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new FlinkPrometheusReporter();
        }
    }

    @Override
    public void open(MetricConfig config) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(this::collect);
        String host = config.getString("host", "127.0.0.1");
        int port = config.getInteger(PORT, 9249);
        try {
            http = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve Flink's metrics on " + host + ":" + port, e);
        }
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        String scope = group instanceof LogicalScopeProvider provider
                ? provider.getLogicalScope(SCOPE_FILTER, '_') : "unscoped";
        String name = PrometheusNaming.sanitizeMetricName("flink_" + scope + "_" + metricName);
        Map<String, String> labels = new TreeMap<>();
        group.getAllVariables().forEach((key, value) -> labels.put(
                PrometheusNaming.sanitizeLabelName(key.replace("<", "").replace(">", "")), value));
        metrics.put(metric, new Registered(name, Labels.of(new ArrayList<>(labels.keySet()),
                new ArrayList<>(labels.values())), metric));
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        metrics.remove(metric);
    }

    private MetricSnapshots collect() {
        Map<String, Map<Labels, Double>> byName = new TreeMap<>();
        for (Registered registered : metrics.values()) {
            Double value = value(registered.metric());
            if (value != null) {
                byName.computeIfAbsent(registered.name(), n -> new HashMap<>())
                        .put(registered.labels(), value);
            }
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        byName.forEach((name, points) -> {
            GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name);
            points.forEach((labels, value) -> gauge.dataPoint(GaugeDataPointSnapshot.builder().labels(labels)
                    .value(value).build()));
            snapshots.add(gauge.build());
        });
        return new MetricSnapshots(snapshots);
    }

    private static Double value(Metric metric) {
        if (metric instanceof Counter counter) {
            return (double) counter.getCount();
        }
        if (metric instanceof Meter meter) {
            return meter.getRate();
        }
        if (metric instanceof Gauge<?> gauge) {
            Object value = gauge.getValue();
            if (value instanceof Number number) {
                return number.doubleValue();
            }
            if (value instanceof Boolean bool) {
                return bool ? 1.0 : 0.0;
            }
        }
        return null; // histograms and text gauges are not exported
    }
}

package io.thermocline.server.metrics;

import io.thermocline.common.config.Configuration;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.server.RequestObserver;
import io.thermocline.server.config.ServerOptions;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * One server's Prometheus metrics, served at {@code http://HOST:metrics.port/metrics} when
 * {@link ServerOptions#METRICS_PORT} is set. Each server has a registry of its own, so that
 * several servers in one JVM (tests, {@code thermocline local}) do not mix their numbers. Every
 * server counts its requests and their latency per API; tablet servers add their buckets'.
 */
public final class ServerMetrics implements RequestObserver, AutoCloseable {
    private static final double[] LATENCY_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
        1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final HTTPServer http;

    private ServerMetrics(String host, int port) {
        requests = Counter.builder().name("thermocline_requests_total")
                .help("Requests answered, by API and error (none when it succeeded)")
                .labelNames("api", "error").register(registry);
        latency = Histogram.builder().name("thermocline_request_latency_seconds").unit(Unit.SECONDS)
                .help("Time from a request's arrival to its response, by API").labelNames("api")
                .classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);
        if (port < 0) {
            http = null;
            return;
        }
        try {
            http = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve metrics on " + host + ":" + port + " ("
                    + ServerOptions.METRICS_PORT.key() + "): " + e.getMessage(), e);
        }
    }

    /** Starts serving on the configured metrics port, or only collects when none is set. */
    public static ServerMetrics start(Configuration conf) {
        return new ServerMetrics(conf.get(ServerOptions.BIND_HOST), conf.get(ServerOptions.METRICS_PORT));
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Where metrics are served, or -1 when they are not. */
    public int port() {
        return http == null ? -1 : http.getPort();
    }

    @Override
    public void answered(ApiKeys api, long latencyNanos, Errors error) {
        String name = api == null ? "unknown" : api.name().toLowerCase(Locale.ROOT);
        requests.labelValues(name, error.name().toLowerCase(Locale.ROOT)).inc();
        latency.labelValues(name).observe(latencyNanos / 1e9);
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
    }
}

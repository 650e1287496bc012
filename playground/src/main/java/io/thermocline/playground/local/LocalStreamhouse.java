package io.thermocline.playground.local;

import io.thermocline.gateway.ThermoclineGateway;
import io.thermocline.lake.LakeOptions;
import io.thermocline.server.tools.LocalCluster;
import io.thermocline.tiering.TieringJob;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code thermocline local}: the whole streamhouse in one process. An embedded ZooKeeper, a
 * coordinator and tablet servers ({@link LocalCluster}), one embedded Flink cluster running the
 * tiering job and the JDBC gateway's jobs, and the gateway, all under one data directory on fixed
 * ports, so that a restart resumes with every table, row and lake snapshot. Ctrl-C stops it cleanly.
 */
public final class LocalStreamhouse implements AutoCloseable {
    private final LocalOptions options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private LocalCluster cluster;
    private URI flinkRest;
    private String tieringJobId;
    private ThermoclineGateway gateway;

    LocalStreamhouse(LocalOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws InterruptedException {
        LocalOptions options;
        LocalPreflight preflight;
        try {
            options = LocalOptions.parse(args);
            preflight = LocalPreflight.check(options.dataDir(), options.ports());
        } catch (LocalOptions.UsageError e) {
            System.err.println("thermocline local: " + e.getMessage());
            System.exit(LocalPreflight.EXIT_USAGE);
            return;
        } catch (LocalPreflight.Failure e) {
            System.err.println("thermocline local: " + e.getMessage());
            System.exit(e.exitCode);
            return;
        }
        LocalStreamhouse streamhouse = new LocalStreamhouse(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Thermocline...");
            streamhouse.close();
            preflight.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "thermocline-shutdown"));
        try {
            streamhouse.start();
        } catch (Exception e) {
            log().error("Thermocline did not start", e);
            System.err.println("thermocline local: did not start: " + e.getMessage() + " (see "
                    + options.dataDir().resolve("logs") + ")");
            System.exit(1);
        }
        streamhouse.printBanner(System.out);
        stopped.await();
    }

    /** Starts every part; on a failure, what started is stopped again. */
    LocalStreamhouse start() throws Exception {
        try {
            cluster = new LocalCluster(options.dataDir(), options.basePort(), options.tabletServers(),
                    options.processes()).options(options.conf()).start();
            started.add(cluster);
            MiniCluster flink = startFlink();
            started.add(flink);
            flinkRest = flink.getRestAddress().get();
            tieringJobId = startTiering();
            gateway = ThermoclineGateway.start(gatewayConf());
            started.add(gateway);
            return this;
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private MiniCluster startFlink() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        conf.setString("metrics.reporter.prom.factory.class", FlinkPrometheusReporter.Factory.class.getName());
        conf.setString("metrics.reporter.prom." + FlinkPrometheusReporter.PORT,
                Integer.toString(options.flinkMetricsPort()));
        MiniCluster flink = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(options.flinkSlots()).build());
        flink.start();
        return flink;
    }

    /** Submits the tiering job to the embedded Flink; it is cancelled when Flink stops. */
    private String startTiering() throws Exception {
        Configuration conf = TieringJob.flinkConfiguration();
        submitToEmbeddedFlink(conf);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf); // getExecutionEnvironment would run it locally
        Map<String, String> tiering = new HashMap<>(options.conf());
        tiering.putAll(cluster.lakeOptions());
        tiering.put("bootstrap.servers", bootstrapServers());
        TieringJob job = TieringJob.of(tiering);
        job.addTo(env);
        JobClient client = env.executeAsync("thermocline-tiering " + job.jobId());
        log().info("Tiering job {} runs as Flink job {}", job.jobId(), client.getJobID());
        return job.jobId();
    }

    private void submitToEmbeddedFlink(Configuration conf) {
        conf.set(DeploymentOptions.TARGET, "remote");
        conf.set(RestOptions.ADDRESS, flinkRest.getHost());
        conf.set(RestOptions.PORT, flinkRest.getPort());
    }

    private Map<String, String> gatewayConf() {
        Map<String, String> conf = new HashMap<>(options.conf());
        conf.put("bootstrap.servers", bootstrapServers());
        conf.put("gateway.host", "127.0.0.1");
        conf.put("gateway.port", Integer.toString(options.gatewayPort()));
        Configuration flink = new Configuration();
        submitToEmbeddedFlink(flink);
        flink.toMap().forEach((key, value) -> conf.put("flink." + key, value));
        return conf;
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    String jdbcUrl() {
        return gateway.jdbcUrl("127.0.0.1");
    }

    void printBanner(PrintStream out) {
        Path dataDir = options.dataDir().toAbsolutePath();
        out.println();
        out.println("Thermocline is running locally.");
        out.println("  data directory:   " + dataDir + "   (a restart resumes from it)");
        out.println("  ZooKeeper:        " + cluster.zookeeperAddress());
        out.println("  coordinator:      " + bootstrapServers() + "   <- bootstrap.servers for clients");
        for (String line : cluster.tabletServerLines()) {
            out.println("  " + line);
        }
        Map<String, String> lake = cluster.lakeOptions();
        out.println("  Iceberg lake:     " + lake.getOrDefault(LakeOptions.URI.key(), lake.get(LakeOptions.WAREHOUSE.key()))
                + "   (" + lake.getOrDefault(LakeOptions.CATALOG_TYPE.key(), LakeOptions.CATALOG_TYPE.defaultValue())
                + " catalog; tables with 'table.datalake.enabled' = 'true' tier here)");
        out.println("  embedded Flink:   " + flinkRest + "   (tiering job " + tieringJobId + ", and the SQL jobs)");
        out.println("  JDBC gateway:     " + jdbcUrl());
        out.println("  metrics:          http://127.0.0.1:{" + options.coordinatorMetricsPort() + ".."
                + options.tabletServerMetricsPort(options.tabletServers() - 1) + "}/metrics (coordinator, tablet"
                + " servers), http://127.0.0.1:" + options.flinkMetricsPort() + "/metrics (Flink, tiering)");
        out.println("  logs:             " + dataDir.resolve("logs"));
        // The commands' defaults reach the default ports; other ports go on their command lines.
        String sqlArgs = options.gatewayPort() == LocalOptions.DEFAULT_GATEWAY_PORT ? "" : " --url '" + jdbcUrl() + "'";
        String clientArgs = options.basePort() == LocalOptions.DEFAULT_BASE_PORT ? ""
                : " --bootstrap-servers " + bootstrapServers();
        out.println("SQL shell: ./thermocline sql" + sqlArgs + "     demo data: ./thermocline demo" + clientArgs
                + "     status: ./thermocline status" + clientArgs);
        out.println("Stop with Ctrl-C.");
    }

    /** Not at class load: logging starts once the data directory (where it writes) passed the preflight. */
    private static Logger log() {
        return LoggerFactory.getLogger(LocalStreamhouse.class);
    }

    /** Stops in reverse order of start: the gateway, the embedded Flink with its jobs, the cluster. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log().warn("{} did not stop cleanly", started.get(i).getClass().getSimpleName(), e);
            }
        }
        started.clear();
    }
}

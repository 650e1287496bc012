package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every server's Prometheus metrics, scraped over HTTP from a real cluster after real traffic. */
class MetricsITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(2).lake()
            .serverOption("metrics.port", "0").build();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void serversExportRequestsWritesLookupsReplicasAndTieringLag() throws Exception {
        TablePath events = TablePath.of("metrics", "events");
        TablePath users = TablePath.of("metrics", "users");
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            connection.admin().createDatabase("metrics", null, true).get();
            connection.admin().createTable(events, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT()).build()).buckets(2).replicationFactor(2)
                    .options(Map.of("table.datalake.enabled", "true")).build(), false).get();
            connection.admin().createTable(users, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.INT()).column("name", DataTypes.STRING()).primaryKey("id").build())
                    .buckets(1).replicationFactor(2).build(), false).get();
            try (AppendWriter writer = connection.table(events).newAppendWriter()) {
                for (long id = 0; id < 100; id++) {
                    writer.append(GenericRow.of(id));
                }
                writer.flush();
            }
            try (UpsertWriter writer = connection.table(users).newUpsertWriter()) {
                writer.upsert(GenericRow.of(1, BinaryString.fromString("ann"))).get();
            }
            Lookuper lookuper = connection.table(users).newLookuper();
            for (int i = 0; i < 5; i++) {
                assertThat(lookuper.lookup(GenericRow.of(1)).get()).isPresent();
            }
        }

        List<String> servers = List.of(scrape(CLUSTER.tabletServer(0).metricsPort()),
                scrape(CLUSTER.tabletServer(1).metricsPort()));
        assertThat(sum(servers, "thermocline_written_rows_total\\{table=\"metrics.events\"\\}")).isEqualTo(100);
        assertThat(sum(servers, "thermocline_written_rows_total\\{table=\"metrics.users\"\\}")).isEqualTo(1);
        assertThat(sum(servers, "thermocline_written_bytes_total\\{table=\"metrics.events\"\\}")).isPositive();
        assertThat(sum(servers, "thermocline_lookup_keys_total\\{table=\"metrics.users\"\\}")).isEqualTo(5);
        assertThat(sum(servers, "thermocline_requests_total\\{api=\"produce\",error=\"none\"\\}")).isPositive();
        assertThat(sum(servers, "thermocline_request_latency_seconds_count\\{api=\"lookup\"\\}")).isEqualTo(5);
        // Each of the three buckets has both replicas in sync, and the untiered rows are the lake's lag.
        assertThat(sum(servers, "thermocline_bucket_in_sync_replicas\\{[^}]*\\}")).isEqualTo(6);
        assertThat(sum(servers, "thermocline_bucket_high_watermark\\{bucket=\"\\d\",partition=\"\",table=\"metrics.events\"\\}"))
                .isEqualTo(100);
        assertThat(sum(servers, "thermocline_bucket_tiering_lag_records\\{bucket=\"\\d\",partition=\"\",table=\"metrics.events\"\\}"))
                .isEqualTo(100);
        assertThat(sum(servers, "thermocline_bucket_tiering_lag_records\\{[^}]*metrics.users[^}]*\\}")).isZero();
        assertThat(sum(servers, "thermocline_under_replicated_buckets")).isZero();

        String coordinator = scrape(CLUSTER.activeCoordinator().metricsPort());
        assertThat(sum(List.of(coordinator), "thermocline_coordinator_active")).isEqualTo(1);
        assertThat(sum(List.of(coordinator), "thermocline_tablet_servers")).isEqualTo(2);
        assertThat(sum(List.of(coordinator), "thermocline_requests_total\\{api=\"create_table\",error=\"none\"\\}"))
                .isEqualTo(2);
    }

    private static String scrape(int port) throws Exception {
        assertThat(port).isPositive();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The sum over all servers of the samples whose name and labels match {@code series}. */
    private static double sum(List<String> scrapes, String series) {
        Pattern sample = Pattern.compile("^" + series + " (\\S+)$", Pattern.MULTILINE);
        double total = 0;
        for (String scrape : scrapes) {
            Matcher m = sample.matcher(scrape);
            while (m.find()) {
                total += Double.parseDouble(m.group(1));
            }
        }
        return total;
    }
}

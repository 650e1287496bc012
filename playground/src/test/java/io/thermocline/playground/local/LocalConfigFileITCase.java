package io.thermocline.playground.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.testservers.RestCatalogServer;
import io.thermocline.testservers.S3Server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The README's {@code thermocline local --config} file, as written there, against a real S3 API
 * server and Iceberg's REST catalog server: the lake's files and the KV snapshots land in the bucket.
 */
class LocalConfigFileITCase {
    @TempDir
    static Path dir;
    static S3Server s3;
    static RestCatalogServer rest;

    @BeforeAll
    static void startServers() {
        S3Server.sdkEnvironment().forEach((name, value) -> System.setProperty(S3Server.systemProperty(name), value));
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket("lake");
        rest = RestCatalogServer.start(dir.resolve("rest"), s3, "s3://lake/warehouse");
    }

    @AfterAll
    static void stopServers() {
        if (rest != null) {
            rest.stop();
        }
        if (s3 != null) {
            s3.stop();
        }
    }

    @Test
    void theReadmeFilePutsTheLakeAndTheKvSnapshotsInTheBucket() throws Exception {
        Path file = dir.resolve("lake-on-s3.yaml");
        Files.writeString(file, readmeYaml());
        Map<String, String> env = Map.of("CATALOG_URI", rest.uri(), "CATALOG_CLIENT_ID", "local",
                "CATALOG_CLIENT_SECRET", "not-a-secret", "S3_ENDPOINT", s3.endpoint(),
                "S3_ACCESS_KEY", S3Server.ACCESS_KEY, "S3_SECRET_KEY", S3Server.SECRET_KEY);
        int base = 21_000 + ThreadLocalRandom.current().nextInt(100) * 100;
        // Overrides after the file win over it: snapshots every second instead of every ten minutes.
        LocalOptions options = LocalOptions.parse(env::get, "--data-dir", dir.resolve("data").toString(), "--port",
                Integer.toString(base), "--gateway-port", Integer.toString(base + 99), "--tablet-servers", "1",
                "--flink-slots", "2", "--config", file.toString(), "kv.snapshot.interval=1 s");
        try (LocalStreamhouse local = new LocalStreamhouse(options).start()) {
            ByteArrayOutputStream banner = new ByteArrayOutputStream();
            local.printBanner(new PrintStream(banner, true, StandardCharsets.UTF_8));
            assertThat(banner.toString(StandardCharsets.UTF_8)).contains("Iceberg lake:     " + rest.uri()
                    + "   (rest catalog");
            try (Connection connection = ConnectionFactory.create(new Configuration()
                    .setString("bootstrap.servers", local.bootstrapServers()))) {
                Admin admin = connection.admin();
                admin.createDatabase("shop", null, true).get();
                TablePath events = TablePath.of("shop", "events");
                TablePath stock = TablePath.of("shop", "stock");
                Map<String, String> lake = Map.of("table.datalake.enabled", "true", "table.datalake.freshness", "1 s");
                admin.createTable(events, TableDescriptor.builder(Schema.builder().column("id", DataTypes.BIGINT())
                        .build()).buckets(1).options(lake).build(), false).get();
                admin.createTable(stock, TableDescriptor.builder(Schema.builder()
                        .column("sku", DataTypes.INT().notNull()).column("qty", DataTypes.BIGINT()).primaryKey("sku")
                        .build()).buckets(1).options(lake).build(), false).get();
                try (AppendWriter writer = connection.table(events).newAppendWriter()) {
                    for (long id = 0; id < 100; id++) {
                        writer.append(GenericRow.of(id));
                    }
                    writer.flush();
                }
                try (UpsertWriter writer = connection.table(stock).newUpsertWriter()) {
                    for (int sku = 0; sku < 100; sku++) {
                        writer.upsert(GenericRow.of(sku, (long) sku));
                    }
                    writer.flush();
                }
                for (TablePath path : List.of(events, stock)) {
                    long end = admin.listOffsets(path, List.of(0), OffsetSpec.latest()).get().get(0);
                    TestCluster.waitUntil(() -> admin.getLakeSnapshot(path).join().map(LakeSnapshot::endOffsets)
                            .filter(ends -> ends.values().stream().mapToLong(v -> v).sum() == end).isPresent(),
                            Duration.ofSeconds(90), path + " tiered by the embedded tiering job");
                }
                Path bucket = s3.storageDir().resolve("lake");
                TestCluster.waitUntil(() -> !files(bucket.resolve("kv-snapshots"), ".sst").isEmpty(),
                        Duration.ofSeconds(60), "a KV snapshot in the bucket");
                assertThat(files(bucket.resolve("warehouse").resolve("shop"), ".parquet")).isNotEmpty();
                assertThat(dir.resolve("data").resolve("lake")).doesNotExist();
                assertThat(dir.resolve("data").resolve("kv-snapshots")).doesNotExist();
            }
        }
    }

    /** The YAML block of the README's section on a lake on S3. */
    private static String readmeYaml() throws IOException {
        String readme = Files.readString(Paths.get("../README.md"));
        int section = readme.indexOf("## The lake on S3 behind a REST catalog");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    private static List<Path> files(Path root, String suffix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        } catch (IOException e) {
            return List.of(); // files come and go while snapshots are pruned: the next poll sees them
        }
    }
}

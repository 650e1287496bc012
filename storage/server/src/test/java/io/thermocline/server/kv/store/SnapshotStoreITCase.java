package io.thermocline.server.kv.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.config.Configuration;
import io.thermocline.testservers.S3Server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** The snapshot store's contract, the same for a shared directory and an S3 bucket (a real S3 API server). */
class SnapshotStoreITCase {
    @TempDir
    static Path dir;
    static S3Server s3;

    @BeforeAll
    static void startObjectStore() {
        S3Server.sdkEnvironment().forEach((name, value) -> System.setProperty(S3Server.systemProperty(name), value));
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket("snapshots");
    }

    @AfterAll
    static void stopObjectStore() {
        if (s3 != null) {
            s3.stop();
        }
    }

    private static SnapshotStore open(String kind) {
        if (kind.equals("directory")) {
            return SnapshotStore.open(dir.resolve("shared").toString(), new Configuration());
        }
        Configuration conf = new Configuration();
        s3.icebergProperties().forEach((key, value) -> conf.setString("lake.catalog." + key, value));
        // Parts of 5 MB (S3's smallest) from 5 MB on: the 12 MB file below goes up in three.
        conf.setString("lake.catalog.s3.multipart.size", Integer.toString(5 << 20));
        conf.setString("lake.catalog.s3.multipart.threshold", "1.0");
        return SnapshotStore.open("s3://snapshots/cluster", conf);
    }

    @ParameterizedTest
    @ValueSource(strings = {"directory", "s3"})
    void filesRoundTripAndListDeleteByPrefix(String kind) throws IOException {
        try (SnapshotStore store = open(kind)) {
            byte[] large = new byte[12 << 20];
            new Random(7).nextBytes(large);
            Path local = dir.resolve(kind + "-large.sst");
            Files.write(local, large);
            store.upload(local, "t/bucket-0/sst/a.sst");
            store.write("t/bucket-0/snap-1/files", "a.sst a.sst".getBytes());
            Path empty = dir.resolve(kind + "-empty.log");
            Files.write(empty, new byte[0]);
            store.upload(empty, "t/bucket-0/snap-1/000001.log");
            store.write("t/bucket-1/snap-1/files", new byte[] {1});

            assertThat(store.list("t/bucket-0/")).extracting(SnapshotStore.Entry::key).containsExactlyInAnyOrder(
                    "t/bucket-0/sst/a.sst", "t/bucket-0/snap-1/files", "t/bucket-0/snap-1/000001.log");
            assertThat(store.list("t/bucket-0/")).allSatisfy(entry -> assertThat(entry.modifiedMillis())
                    .isGreaterThan(System.currentTimeMillis() - 600_000));
            Path back = dir.resolve(kind + "-back.sst");
            store.download("t/bucket-0/sst/a.sst", back);
            assertThat(Files.readAllBytes(back)).isEqualTo(large);
            Path emptyBack = dir.resolve(kind + "-empty-back.log");
            store.download("t/bucket-0/snap-1/000001.log", emptyBack);
            assertThat(Files.size(emptyBack)).isZero();
            assertThat(new String(store.read("t/bucket-0/snap-1/files"))).isEqualTo("a.sst a.sst");

            store.deletePrefix("t/bucket-0/snap-1/");
            store.delete("t/bucket-0/sst/a.sst");
            store.delete("t/bucket-0/sst/never-written.sst");
            assertThat(store.list("t/bucket-0/")).isEmpty();
            assertThat(store.list("t/")).extracting(SnapshotStore.Entry::key).containsExactly("t/bucket-1/snap-1/files");
            assertThatThrownBy(() -> store.read("t/bucket-0/snap-1/files")).isInstanceOf(IOException.class);
            assertThat(store.location("t/x")).endsWith("t/x");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"directory", "s3"})
    void aPrefixWithNothingUnderItListsEmpty(String kind) throws IOException {
        try (SnapshotStore store = open(kind)) {
            assertThat(store.list("nothing/here/")).isEqualTo(List.of());
        }
    }
}

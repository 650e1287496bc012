package io.thermocline.server.tablet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.metadata.TableBucket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

class DataDirLayoutTest {

    @Test
    void aDataDirectoryServesOneClusterAndOneServer(@TempDir Path dir) {
        DataDirLayout.claim(dir, "cluster-a", 1);
        DataDirLayout.claim(dir, "cluster-a", 1); // a restart
        assertThatThrownBy(() -> DataDirLayout.claim(dir, "cluster-b", 1))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("cluster-a").hasMessageContaining("cluster-b");
        assertThatThrownBy(() -> DataDirLayout.claim(dir, "cluster-a", 2))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("tablet server 1");
    }

    @Test
    void deletingTheLastBucketOfAPartitionRemovesItsDirectories(@TempDir Path dir) throws Exception {
        TableBucket first = new TableBucket(4, 9, 0);
        TableBucket second = new TableBucket(4, 9, 1);
        TableBucket other = new TableBucket(4, 10, 0);
        for (TableBucket bucket : new TableBucket[] {first, second, other}) {
            Files.createDirectories(DataDirLayout.bucketDir(dir, bucket));
            Files.writeString(DataDirLayout.bucketDir(dir, bucket).resolve("00000000000000000000.log"), "x");
        }
        assertThat(DataDirLayout.bucketDir(dir, first)).isEqualTo(dir.resolve("table-4/partition-9/bucket-0"));
        assertThat(DataDirLayout.bucketDir(dir, new TableBucket(4, 2))).isEqualTo(dir.resolve("table-4/bucket-2"));

        DataDirLayout.deleteBucket(dir, first);
        assertThat(dir.resolve("table-4/partition-9")).exists();
        DataDirLayout.deleteBucket(dir, second);
        assertThat(dir.resolve("table-4/partition-9")).doesNotExist();
        assertThat(dir.resolve("table-4/partition-10/bucket-0")).exists();
        DataDirLayout.deleteBucket(dir, other);
        assertThat(dir.resolve("table-4")).doesNotExist();
        assertThat(dir).exists();
    }
}

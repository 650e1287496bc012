package io.thermocline.lake;

import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.io.FileIO;

import java.util.Map;

/**
 * The file IO of the lake's settings for files outside the lake (KV snapshots on object storage):
 * Iceberg's ResolvingFileIO (S3FileIO for {@code s3://}) with the {@code lake.catalog.*}
 * properties, so one set of S3 settings serves both.
 */
public final class LakeFileIO {
    private LakeFileIO() {}

    public static FileIO open(Map<String, String> clusterConf) {
        return CatalogUtil.loadFileIO("org.apache.iceberg.io.ResolvingFileIO", LakeOptions.catalogProperties(clusterConf),
                new org.apache.hadoop.conf.Configuration());
    }
}

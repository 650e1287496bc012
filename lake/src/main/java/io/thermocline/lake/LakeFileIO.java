package io.thermocline.lake;

import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.io.FileIO;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Iceberg file IO of the lake's settings, for the catalog and for files outside the lake (KV
 * snapshots on object storage), so one set of S3 settings serves both.
 */
public final class LakeFileIO {
    static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";
    static final String RESOLVING_FILE_IO = "org.apache.iceberg.io.ResolvingFileIO";
    private static final Set<String> S3_SCHEMES = Set.of("s3", "s3a", "s3n");

    private LakeFileIO() {}

    /**
     * The FileIO class for files at {@code location} (or anywhere, when null): S3FileIO for an S3
     * location or when S3 settings are given, Iceberg's ResolvingFileIO otherwise. S3FileIO is
     * named rather than resolved: ResolvingFileIO creates it lazily, possibly on a thread of
     * Iceberg's shared worker pool whose context class loader belongs to a Flink job that ended.
     */
    static String implementation(String location, Map<String, String> icebergProperties) {
        boolean s3Location = location != null && S3_SCHEMES.contains(scheme(location));
        boolean s3Settings = icebergProperties.keySet().stream().anyMatch(key -> key.startsWith("s3."));
        return s3Location || s3Settings ? S3_FILE_IO : RESOLVING_FILE_IO;
    }

    /** The scheme of a location ({@code s3} of {@code s3://bucket/key}), lower case; empty for a plain path. */
    public static String scheme(String location) {
        int colon = location.indexOf("://");
        return colon < 0 ? "" : location.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /** A FileIO for files at {@code location} with the {@code lake.catalog.*} properties of {@code clusterConf}. */
    public static FileIO open(Map<String, String> clusterConf, String location) {
        Map<String, String> properties = LakeOptions.catalogProperties(clusterConf);
        String impl = properties.getOrDefault("io-impl", implementation(location, properties));
        return CatalogUtil.loadFileIO(impl, properties, new org.apache.hadoop.conf.Configuration());
    }
}

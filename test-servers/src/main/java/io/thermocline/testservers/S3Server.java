package io.thermocline.testservers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A real S3 API server (s3proxy over a local directory) on 127.0.0.1, signing with AWS v4. A bucket
 * is a directory under {@link #storageDir()}, so a test sees exactly which objects exist.
 */
public final class S3Server extends ServerProcess {
    public static final String ACCESS_KEY = "thermocline-test";
    public static final String SECRET_KEY = "thermocline-test-secret";
    public static final String REGION = "us-east-1";

    private S3Server(Path dir) {
        super(dir);
    }

    /** Starts a server keeping its objects under {@code dir}. */
    public static S3Server start(Path dir) {
        S3Server server = new S3Server(dir);
        server.start();
        return server;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The directory the buckets live in. */
    public Path storageDir() {
        return dir.resolve("storage");
    }

    /** Creates a bucket (a directory of the server's storage). */
    public void createBucket(String bucket) {
        try {
            Files.createDirectories(storageDir().resolve(bucket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Iceberg S3FileIO properties that reach this server, e.g. under {@code lake.catalog.} for
     * Thermocline's lake options.
     */
    public Map<String, String> icebergProperties() {
        Map<String, String> properties = new TreeMap<>();
        properties.put("s3.endpoint", endpoint());
        properties.put("s3.path-style-access", "true");
        properties.put("s3.access-key-id", ACCESS_KEY);
        properties.put("s3.secret-access-key", SECRET_KEY);
        properties.put("client.region", REGION);
        return properties;
    }

    /**
     * Environment variables an AWS SDK process needs for this server: s3proxy answers 400 to the
     * checksums the SDK computes by default, so they are computed only when an API requires one.
     */
    public static Map<String, String> sdkEnvironment() {
        return Map.of("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required",
                "AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
    }

    /** The SDK's system property for one of {@link #sdkEnvironment()}'s variables, for an SDK in this JVM. */
    public static String systemProperty(String environmentVariable) {
        return Map.of("AWS_REQUEST_CHECKSUM_CALCULATION", "aws.requestChecksumCalculation",
                "AWS_RESPONSE_CHECKSUM_VALIDATION", "aws.responseChecksumValidation").get(environmentVariable);
    }

    @Override
    protected List<String> command() throws IOException {
        Files.createDirectories(storageDir());
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                // DeleteObjects carries a checksum header s3proxy does not implement (501 otherwise).
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + storageDir()) + "\n", StandardCharsets.UTF_8);
        return List.of(java(), "-Xmx256m", "-jar", serverFile("s3proxy.jar"), "--properties", properties.toString());
    }

    @Override
    protected String name() {
        return "s3proxy";
    }

    static String serverFile(String key) {
        Properties properties = new Properties();
        try (InputStream in = S3Server.class.getResourceAsStream("servers.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty(key);
    }
}

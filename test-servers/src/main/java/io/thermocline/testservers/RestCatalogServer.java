package io.thermocline.testservers;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Iceberg's REST catalog server (the reference implementation from Iceberg's test fixtures) on
 * 127.0.0.1, its tables in a SQLite file beside it and its warehouse on an S3 server. A stop and a
 * start keep its port and its tables.
 */
public final class RestCatalogServer extends ServerProcess {
    private final S3Server s3;
    private final String warehouse;

    private RestCatalogServer(Path dir, S3Server s3, String warehouse) {
        super(dir);
        this.s3 = s3;
        this.warehouse = warehouse;
    }

    /** Starts a server whose warehouse is {@code warehouse} (an {@code s3://bucket/prefix} of {@code s3}). */
    public static RestCatalogServer start(Path dir, S3Server s3, String warehouse) {
        RestCatalogServer server = new RestCatalogServer(dir, s3, warehouse);
        server.start();
        return server;
    }

    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    protected List<String> command() {
        return List.of(java(), "-Xmx512m", "-cp", serversClasspath(), "org.apache.iceberg.rest.RESTCatalogServer");
    }

    @Override
    protected Map<String, String> environment() {
        // The fixture reads its catalog's properties from CATALOG_* variables: '__' is '-', '_' is '.'.
        Map<String, String> env = new HashMap<>(S3Server.sdkEnvironment());
        env.put("CATALOG_CATALOG__IMPL", "org.apache.iceberg.jdbc.JdbcCatalog");
        env.put("CATALOG_URI", "jdbc:sqlite:file:" + dir.resolve("catalog.db"));
        env.put("CATALOG_WAREHOUSE", warehouse);
        env.put("CATALOG_IO__IMPL", "org.apache.iceberg.aws.s3.S3FileIO");
        env.put("CATALOG_S3_ENDPOINT", s3.endpoint());
        env.put("CATALOG_S3_PATH__STYLE__ACCESS", "true");
        env.put("CATALOG_S3_ACCESS__KEY__ID", S3Server.ACCESS_KEY);
        env.put("CATALOG_S3_SECRET__ACCESS__KEY", S3Server.SECRET_KEY);
        env.put("CATALOG_CLIENT_REGION", S3Server.REGION);
        env.put("CATALOG_REST_PORT", Integer.toString(port));
        return env;
    }

    @Override
    protected String name() {
        return "rest-catalog";
    }
}

package io.thermocline.flink;

import io.thermocline.testservers.PostgresServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/** The lake behind Iceberg's JDBC catalog on a real PostgreSQL server. */
class JdbcCatalogOnObjectStorageITCase extends LakeOnObjectStorageITCase {
    static PostgresServer postgres;

    @BeforeAll
    static void startCatalog() {
        postgres = PostgresServer.start(dir.resolve("postgres"));
        startCluster(Map.of("type", "jdbc", "uri", postgres.jdbcUrl(), "jdbc.user", PostgresServer.USER,
                "jdbc.password", PostgresServer.PASSWORD, "warehouse", WAREHOUSE));
    }

    @AfterAll
    static void stopCatalog() {
        if (cluster != null) {
            cluster.stop();
            cluster = null;
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}

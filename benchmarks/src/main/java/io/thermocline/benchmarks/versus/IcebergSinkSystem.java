package io.thermocline.benchmarks.versus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Iceberg's own Flink streaming sink, the lake path of a Kafka + Flink + Iceberg pipeline: no
 * server, a local warehouse (Hadoop catalog) that each {@link IcebergSinkDriver} job writes to,
 * committing on every checkpoint (the case's freshness is its checkpoint interval).
 */
final class IcebergSinkSystem implements SystemUnderTest {
    /** The scenarios it has. */
    static final Set<String> SCENARIOS = Set.of("lake");
    private final Path warehouse;

    private IcebergSinkSystem(Path warehouse) {
        this.warehouse = warehouse;
    }

    static IcebergSinkSystem start(Path dir) throws Exception {
        return new IcebergSinkSystem(Files.createDirectories(dir.resolve("lake")).toAbsolutePath());
    }

    @Override
    public String name() {
        return "Iceberg sink";
    }

    @Override
    public String bootstrap() {
        return warehouse.toString();
    }


    @Override
    public Driver driver(String scenario) {
        return new Driver(System.getProperty("java.class.path"), IcebergSinkDriver.class.getName(), List.of());
    }

    @Override
    public Path lakeWarehouse() {
        return warehouse;
    }

    @Override
    public void close() {}
}

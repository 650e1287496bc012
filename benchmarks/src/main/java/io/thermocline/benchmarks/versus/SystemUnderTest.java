package io.thermocline.benchmarks.versus;

import java.nio.file.Path;
import java.util.List;

/** A system the harness benchmarks: started as child processes, driven by a driver JVM of its own client. */
interface SystemUnderTest extends AutoCloseable {
    /** How to start a driver: its classpath, main class and the arguments before the scenario. */
    record Driver(String classpath, String mainClass, List<String> prefix) {}

    String name();

    /** What the driver connects to (bootstrap servers, or the warehouse for Iceberg's sink). */
    String bootstrap();

    Driver driver(String scenario);

    /** The Hadoop-catalog warehouse its lake tables are in; only for systems that support "lake". */
    default Path lakeWarehouse() {
        throw new UnsupportedOperationException(name() + " has no lake");
    }

    /** Starts what moves its data to the lake (a tiering job), before the first lake case; once. */
    default void startTiering() throws Exception {}

    @Override
    void close() throws Exception;
}

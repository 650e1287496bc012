package io.thermocline.benchmarks.versus;

import java.util.List;

/** A system the harness benchmarks: started as child JVMs, driven by a driver JVM of its own client. */
interface SystemUnderTest extends AutoCloseable {
    String name();

    String bootstrap();

    /** The classpath and main class of its driver (see PeerDriver's command line). */
    String driverClasspath();

    String driverMain();

    /** Whether it has the scenario: Kafka has no primary-key tables. */
    default boolean supports(String scenario) {
        return true;
    }

    /** Arguments before the scenario: the system's name for PeerDriver, none for Thermocline's driver. */
    List<String> driverPrefix();

    @Override
    void close() throws Exception;
}

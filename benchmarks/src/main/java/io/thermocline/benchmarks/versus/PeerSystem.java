package io.thermocline.benchmarks.versus;

import java.util.List;

/** A peer from benchmarks/peers: its server JVMs, stopped in reverse order, and {@code PeerDriver} as its driver. */
abstract class PeerSystem implements SystemUnderTest {
    private final List<ChildProcess> processes;
    private final String peersClasspath;

    PeerSystem(List<ChildProcess> processes, String peersClasspath) {
        this.processes = List.copyOf(processes);
        this.peersClasspath = peersClasspath;
    }

    /** Stops what started so far, in reverse order. */
    static void stopAll(List<ChildProcess> processes) throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }

    /** PeerDriver with the system's name before the scenario. */
    @Override
    public Driver driver(String scenario) {
        return new Driver(peersClasspath, "io.thermocline.benchmarks.peers.PeerDriver",
                List.of(name().toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public void close() throws Exception {
        stopAll(processes);
    }
}

package io.thermocline.server.tools;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM handling of a server process: stops the server, and halts the process if stopping takes
 * longer than its bound. A server that cannot reach ZooKeeper or the coordinator would otherwise
 * wait on them for as long as their clients retry; a halt is what a crash is, which replication
 * and log recovery are built for.
 */
final class BoundedStop {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedStop.class);

    private BoundedStop() {}

    /** Installs the shutdown hook; returns a latch that opens once the server stopped. */
    static CountDownLatch install(String what, AutoCloseable server, Duration bound) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread stopper = new Thread(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    LOG.warn("Stopping {} failed", what, e);
                }
                stopped.countDown();
            }, what + "-stop");
            stopper.setDaemon(true);
            stopper.start();
            try {
                // A second for the last log lines and the JVM's own hooks.
                if (!stopped.await(bound.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                    LOG.error("{} did not stop within {}; halting", what, bound);
                    Runtime.getRuntime().halt(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, what + "-shutdown"));
        return stopped;
    }
}

package io.thermocline.server.tools;

import io.thermocline.common.config.Configuration;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.tablet.TabletServer;

import java.util.concurrent.CountDownLatch;

/**
 * One tablet server as its own OS process: {@code TabletServerMain key=value ...} with the
 * server options. Prints {@value #READY} with its id, port and pid once it serves, so that a parent
 * process can wait for it; stops politely on SIGTERM, within {@code shutdown.timeout} (a SIGKILL is a crash, which is the point of
 * running it apart).
 */
public final class TabletServerMain {
    /** The line a started server prints, followed by its id and port. */
    public static final String READY = "THERMOCLINE-TABLET-SERVER-READY";

    private TabletServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Configuration conf = ServerCommandLine.parse(args);
        TabletServer server = ServerCommandLine.startOrExit(() -> new TabletServer(conf).start());
        CountDownLatch stopped = BoundedStop.install("tablet-server-" + server.id(), server,
                conf.get(ServerOptions.SHUTDOWN_TIMEOUT));
        // Orphaned (the parent died without stopping us): stop too, politely.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        System.out.println(READY + " " + server.id() + " " + server.port() + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        stopped.await();
    }
}

package io.thermocline.testservers;

/** A test server that a test may stop and start again (an outage), on the same address. */
public interface ServerControl {
    /** Starts the server, if stopped, and waits until it accepts connections. */
    void start();

    /** Stops the server. */
    void stop();
}

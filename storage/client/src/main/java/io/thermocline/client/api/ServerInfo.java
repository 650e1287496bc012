package io.thermocline.client.api;

/**
 * A live tablet server.
 *
 * @param rack null when the server names none
 */
public record ServerInfo(int id, String host, int port, String rack) {
    public String address() {
        return host + ":" + port;
    }
}

package io.thermocline.rpc.security;

import java.util.Objects;

/** Who a connection acts as: {@code User:NAME} once authenticated, {@link #ANONYMOUS} on a PLAINTEXT listener. */
public record Principal(String type, String name) {
    public static final String USER = "User";
    public static final Principal ANONYMOUS = new Principal(USER, "ANONYMOUS");

    public Principal {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static Principal user(String name) {
        return new Principal(USER, name);
    }

    /** Parses {@code User:NAME}, as super users and ACLs name principals. */
    public static Principal parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("A principal is TYPE:NAME, e.g. User:alice; got '" + text + "'");
        }
        return new Principal(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type + ":" + name;
    }
}

package io.thermocline.gateway;

import io.thermocline.gateway.meta.ThermoclineMeta;

import org.apache.calcite.avatica.server.AvaticaHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.HandlerCollection;
import org.eclipse.jetty.server.handler.HandlerWrapper;

import java.io.IOException;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Serves each request as the user its HTTP authentication proved, so that a connection belongs
 * to the user who opened it. It sits between Jetty's security handler and Avatica's handler
 * (Avatica passes the remote user on only with SPNEGO).
 */
final class AuthenticatedUser extends HandlerWrapper {
    private final ThermoclineMeta meta;

    private AuthenticatedUser(ThermoclineMeta meta, Handler avatica) {
        this.meta = meta;
        setHandler(avatica);
    }

    /** Puts the handler in front of Avatica's in {@code server}'s handler tree. */
    static void install(Server server, ThermoclineMeta meta) {
        if (!insert(server, meta)) {
            throw new IllegalStateException("No Avatica handler found in the gateway's HTTP server");
        }
    }

    private static boolean insert(Handler parent, ThermoclineMeta meta) {
        if (parent instanceof HandlerWrapper wrapper) {
            Handler child = wrapper.getHandler();
            if (child instanceof AvaticaHandler) {
                wrapper.setHandler(new AuthenticatedUser(meta, child));
                return true;
            }
            return child != null && insert(child, meta);
        }
        if (parent instanceof HandlerCollection collection && collection.getHandlers() != null) {
            for (Handler child : collection.getHandlers()) {
                if (insert(child, meta)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        try {
            meta.asUser(request.getRemoteUser(), () -> {
                super.handle(target, base, request, response);
                return null;
            });
        } catch (IOException | ServletException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }
}

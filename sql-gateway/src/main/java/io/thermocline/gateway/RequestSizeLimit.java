package io.thermocline.gateway;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

import java.io.IOException;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Refuses a request body larger than a limit with 413 before anything reads it: Avatica reads a
 * whole request into memory, so one huge request must not cost the server its heap.
 */
final class RequestSizeLimit extends HandlerWrapper {
    private final long maxBytes;

    RequestSizeLimit(long maxBytes, Handler inner) {
        this.maxBytes = maxBytes;
        setHandler(inner);
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        long length = request.getContentLengthLong();
        if (length > maxBytes || (length < 0 && "POST".equals(request.getMethod()))) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Request body of "
                    + (length < 0 ? "unknown length" : length + " bytes") + " refused: at most " + maxBytes
                    + " bytes (see gateway.statement.max-length)");
            base.setHandled(true);
            return;
        }
        super.handle(target, base, request, response);
    }
}

package io.thermocline.testflink;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of Flink's SQL Gateway REST API (v1, what Flink's SQL client in gateway mode speaks):
 * sessions, statements, and their results paged to the end.
 */
public final class SqlGatewayClient {
    private static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(3);

    private final HttpClient http;
    private final URI base;

    SqlGatewayClient(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    /** Opens a session with {@code properties} (Flink options of the session). */
    public Session openSession(Map<String, String> properties) {
        JsonNode opened = send("POST", "/v1/sessions", Map.of("properties", properties));
        return new Session(opened.path("sessionHandle").asText());
    }

    /** The rows of one statement: column names, then each row's fields as JSON values. */
    public record Result(List<String> columns, List<Map<String, Object>> rows) {}

    /** One SQL Gateway session; statements run in it in order. */
    public final class Session {
        private final String handle;

        private Session(String handle) {
            this.handle = handle;
        }

        /** Runs a statement and reads its result to the end; a failed statement throws with the gateway's error. */
        public Result execute(String sql) {
            return execute(sql, Integer.MAX_VALUE);
        }

        /**
         * Runs a statement and reads at most {@code maxRows} rows, then closes it (which cancels its
         * job): how a streaming query that never ends is read.
         */
        public Result execute(String sql, int maxRows) {
            String operation = send("POST", "/v1/sessions/" + handle + "/statements", Map.of("statement", sql))
                    .path("operationHandle").asText();
            String next = "/v1/sessions/" + handle + "/operations/" + operation + "/result/0";
            List<String> columns = new ArrayList<>();
            List<Map<String, Object>> rows = new ArrayList<>();
            long deadline = System.nanoTime() + STATEMENT_TIMEOUT.toNanos();
            while (next != null && rows.size() < maxRows) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(rows.size() + " rows and no end within " + STATEMENT_TIMEOUT
                            + " for: " + sql);
                }
                JsonNode page = send("GET", next, null);
                String type = page.path("resultType").asText();
                if ("NOT_READY".equals(type)) {
                    pause();
                    continue;
                }
                JsonNode results = page.path("results");
                if (columns.isEmpty()) {
                    results.path("columns").forEach(column -> columns.add(column.path("name").asText()));
                }
                if (results.path("data").isEmpty() && !"EOS".equals(type)) {
                    pause(); // a running query with nothing new yet
                }
                for (JsonNode data : results.path("data")) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("$kind", data.path("kind").asText());
                    JsonNode fields = data.path("fields");
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), RestJson.JSON.convertValue(fields.get(i), Object.class));
                    }
                    rows.add(row);
                }
                next = "EOS".equals(type) || page.path("nextResultUri").isMissingNode()
                        || page.path("nextResultUri").isNull() ? null : page.path("nextResultUri").asText();
            }
            send("DELETE", "/v1/sessions/" + handle + "/operations/" + operation + "/close", null);
            return new Result(columns, rows);
        }

        public void close() {
            send("DELETE", "/v1/sessions/" + handle, null);
        }
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(RestJson.JSON.writeValueAsString(body)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return RestJson.exchange(http, request.build(), (status, answer) -> new SqlGatewayException(path, status, answer));
    }

    private static void pause() {
        try {
            Thread.sleep(50); // the gateway has no long poll for results
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The gateway refused a request; the message holds its errors. */
    public static final class SqlGatewayException extends RuntimeException {
        SqlGatewayException(String path, int status, String body) {
            super("Flink SQL Gateway " + path + " answered " + status + ": " + body);
        }
    }
}

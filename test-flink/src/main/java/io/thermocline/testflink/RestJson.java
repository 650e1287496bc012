package io.thermocline.testflink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BiFunction;

/** JSON over HTTP, as Flink's REST APIs (the cluster's and the SQL Gateway's) speak it. */
final class RestJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private RestJson() {}

    /** The answer's JSON (an empty object for no body); a status of 300 or more is {@code refused}'s exception. */
    static JsonNode exchange(HttpClient http, HttpRequest request,
            BiFunction<Integer, String, RuntimeException> refused) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw refused.apply(response.statusCode(), response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

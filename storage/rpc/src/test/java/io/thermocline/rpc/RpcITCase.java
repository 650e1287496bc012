package io.thermocline.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.MemorySize;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.NetworkException;
import io.thermocline.common.exception.RequestTimeoutException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.exception.UnknownServerException;
import io.thermocline.common.exception.UnsupportedVersionException;
import io.thermocline.common.testutils.TestWaits;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.messages.ApiVersionsRequest;
import io.thermocline.rpc.messages.ApiVersionsResponse;
import io.thermocline.rpc.messages.FetchRequest;
import io.thermocline.rpc.messages.FetchResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.protocol.RpcOptions;
import io.thermocline.rpc.server.ApiVersionsHandler;
import io.thermocline.rpc.server.RequestContext;
import io.thermocline.rpc.server.ResponseWithTrailingBytes;
import io.thermocline.rpc.server.RpcServer;
import io.thermocline.rpc.server.RpcService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/** The RPC layer over real sockets on 127.0.0.1. */
class RpcITCase {
    private static final String HOST = "127.0.0.1";
    private static final int MAX_FRAME = 64 * 1024;

    /** What the test's ApiVersions handler does; the real handler by default. */
    private volatile BiFunction<RequestContext, ApiVersionsRequest, CompletableFuture<ApiVersionsResponse>> behaviour;

    /** The fetches the test's FETCH handler holds until the test completes them. */
    private final List<CompletableFuture<ResponseWithTrailingBytes>> heldFetches = new CopyOnWriteArrayList<>();

    private static final int MAX_IN_FLIGHT = 50;

    private RpcServer server;
    private RpcClient client;

    @BeforeEach
    void start() {
        ApiVersionsHandler real = new ApiVersionsHandler("test");
        behaviour = real::handle;
        RpcService service = RpcService.builder()
                .register(ApiKeys.API_VERSIONS, ApiVersionsRequest.parser(), (ctx, req) -> behaviour.apply(ctx, req))
                .registerWithTrailingBytes(ApiKeys.FETCH, FetchRequest.parser(), (ctx, req) -> {
                    CompletableFuture<ResponseWithTrailingBytes> held = new CompletableFuture<>();
                    heldFetches.add(held);
                    return held;
                })
                .build();
        Configuration conf = new Configuration()
                .set(RpcOptions.MAX_FRAME_SIZE, MemorySize.ofBytes(MAX_FRAME))
                .set(RpcOptions.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                .set(RpcOptions.SERVER_MAX_INFLIGHT, MAX_IN_FLIGHT);
        server = new RpcServer(HOST, 0, service, conf).start();
        client = new RpcClient(conf);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void apiVersionsRoundTrip() throws Exception {
        ApiVersionsResponse response = connect().send(ApiKeys.API_VERSIONS, request("hello"),
                ApiVersionsResponse.parser()).get(10, TimeUnit.SECONDS);
        assertThat(response.getServerSoftwareVersion()).isEqualTo("test");
        assertThat(response.getApiVersionsList()).anySatisfy(v -> {
            assertThat(v.getApiKey()).isEqualTo(ApiKeys.API_VERSIONS.id());
            assertThat(v.getMaxVersion()).isEqualTo(ApiKeys.API_VERSIONS.maxVersion());
        });
    }

    @Test
    void pipelinedResponsesArriveInRequestOrderWhateverTheHandlersDo() throws Exception {
        int n = 200;
        List<CompletableFuture<ApiVersionsResponse>> handlerFutures = new CopyOnWriteArrayList<>();
        behaviour = (ctx, req) -> {
            CompletableFuture<ApiVersionsResponse> f = new CompletableFuture<>();
            handlerFutures.add(f);
            f.thenApply(x -> x); // completed below, out of order
            return f.thenApply(ignored -> ApiVersionsResponse.newBuilder()
                    .setServerSoftwareVersion(req.getClientSoftwareName()).build());
        };
        ServerConnection connection = connect();
        List<String> arrival = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<ApiVersionsResponse>> responses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            responses.add(connection.send(ApiKeys.API_VERSIONS, request("r" + i), ApiVersionsResponse.parser())
                    .whenComplete((r, e) -> arrival.add(r.getServerSoftwareVersion())));
        }
        // A connection's requests reach handlers at most MAX_IN_FLIGHT at a time; each round's
        // answers complete in a shuffled order, and let the next ones in.
        Random random = new Random(1);
        for (int released = 0; released < n; released += MAX_IN_FLIGHT) {
            int upTo = Math.min(n, released + MAX_IN_FLIGHT);
            TestWaits.waitUntil(() -> handlerFutures.size() >= upTo, Duration.ofSeconds(10),
                    upTo + " requests reach the handler");
            assertThat(handlerFutures).as("requests in flight").hasSize(upTo);
            List<CompletableFuture<ApiVersionsResponse>> shuffled = new ArrayList<>(handlerFutures.subList(released,
                    upTo));
            Collections.shuffle(shuffled, random);
            for (CompletableFuture<ApiVersionsResponse> f : shuffled) {
                f.complete(null);
            }
        }
        for (int i = 0; i < n; i++) {
            assertThat(responses.get(i).get(10, TimeUnit.SECONDS).getServerSoftwareVersion()).isEqualTo("r" + i);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("r" + i);
        }
        assertThat(arrival).isEqualTo(expected);
    }

    @Test
    void aFetchWaitingForDataHoldsBackNoResponseBehindIt() throws Exception {
        ServerConnection connection = connect();
        CompletableFuture<ServerConnection.WithTrailingBytes<FetchResponse>> fetch = connection.sendWithTrailingBytes(
                ApiKeys.FETCH, FetchRequest.newBuilder().setMaxWaitMs(60_000).build(), FetchResponse.parser());
        TestWaits.waitUntil(() -> heldFetches.size() == 1, Duration.ofSeconds(10), "the fetch reaches its handler");
        // Requests sent after the parked fetch are answered while it waits, still in their own order.
        List<String> arrival = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<ApiVersionsResponse>> later = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            later.add(connection.send(ApiKeys.API_VERSIONS, request("r" + i), ApiVersionsResponse.parser())
                    .whenComplete((r, e) -> arrival.add(r.getServerSoftwareVersion())));
        }
        CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(arrival).hasSize(20).allMatch("test"::equals);
        assertThat(fetch).isNotDone();
        heldFetches.get(0).complete(new ResponseWithTrailingBytes(FetchResponse.newBuilder().build(), List.of()));
        assertThat(fetch.get(10, TimeUnit.SECONDS).trailing().remaining()).isZero();
    }

    @Test
    void handlerErrorsArriveAsTypedExceptionsWithoutStackTraces() throws Exception {
        ServerConnection connection = connect();
        behaviour = (ctx, req) -> {
            throw new SchemaException("Column `price` does not exist in table shop.orders");
        };
        assertThatThrownBy(() -> connection.send(ApiKeys.API_VERSIONS, request("x"), ApiVersionsResponse.parser()).get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SchemaException.class)
                .hasMessage("Column `price` does not exist in table shop.orders");
        behaviour = (ctx, req) -> CompletableFuture.failedFuture(new IllegalStateException("internal detail"));
        assertThatThrownBy(() -> connection.send(ApiKeys.API_VERSIONS, request("x"), ApiVersionsResponse.parser()).get())
                .cause().isInstanceOf(UnknownServerException.class)
                .hasMessageContaining("IllegalStateException")
                .hasMessageNotContaining("internal detail");
        // the connection is still fine
        behaviour = new ApiVersionsHandler("again")::handle;
        assertThat(connection.send(ApiKeys.API_VERSIONS, request("x"), ApiVersionsResponse.parser())
                .get(10, TimeUnit.SECONDS).getServerSoftwareVersion()).isEqualTo("again");
    }

    @Test
    void unknownApiUnsupportedVersionAndMalformedBodiesGetTypedErrorsOnALiveConnection() throws IOException {
        try (RawConnection raw = new RawConnection()) {
            raw.send(63, 0, 7, new byte[0]);
            raw.expectError(7, Errors.UNSUPPORTED_VERSION, "Unknown API key 63");
            raw.send(ApiKeys.API_VERSIONS.id(), 9, 8, new byte[0]);
            raw.expectError(8, Errors.UNSUPPORTED_VERSION, "ApiVersions version 9 is not supported");
            raw.send(ApiKeys.API_VERSIONS.id(), 0, 9, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01});
            raw.expectError(9, Errors.INVALID_REQUEST, "Malformed ApiVersions request body");
            raw.send(ApiKeys.API_VERSIONS.id(), 0, 10, request("still here").toByteArray());
            assertThat(raw.readResponse(10).error).isEqualTo(Errors.NONE);
        }
    }

    @Test
    void oversizeFrameIsRefusedNamingBothSizesAndOthersAreStillServed() throws Exception {
        try (RawConnection raw = new RawConnection()) {
            raw.out.writeInt(MAX_FRAME + 1);
            raw.out.writeShort(ApiKeys.API_VERSIONS.id());
            raw.out.writeShort(0);
            raw.out.writeInt(42);
            raw.out.write(new byte[1000]);
            raw.out.flush();
            raw.expectError(42, Errors.INVALID_REQUEST,
                    "Request frame of " + (MAX_FRAME + 1) + " bytes exceeds rpc.max-frame-size of " + MAX_FRAME);
            assertThat(raw.in.read()).isEqualTo(-1); // closed
        }
        assertServesNewClients();
    }

    @Test
    void garbageBytesNeverHurtTheServer() throws Exception {
        Random random = new Random(99);
        for (int round = 0; round < 20; round++) {
            try (Socket socket = new Socket(HOST, server.port())) {
                socket.setSoTimeout(5000);
                byte[] garbage = new byte[1 + random.nextInt(20_000)];
                random.nextBytes(garbage);
                try {
                    socket.getOutputStream().write(garbage);
                    socket.getOutputStream().flush();
                    socket.shutdownOutput();
                    // Drain whatever the server answers until it closes or has nothing more to say.
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    while (in.read(new byte[4096]) >= 0) {
                        // keep reading
                    }
                } catch (IOException expected) {
                    // the server may reset the connection: fine
                }
            }
        }
        assertServesNewClients();
    }

    @Test
    void aDroppedConnectionFailsPendingRequestsAsRetriableNetworkErrors() throws Exception {
        java.util.concurrent.CountDownLatch received = new java.util.concurrent.CountDownLatch(1);
        behaviour = (ctx, req) -> {
            received.countDown();
            return new CompletableFuture<>(); // never answers
        };
        ServerConnection connection = connect();
        CompletableFuture<ApiVersionsResponse> waiting =
                connection.send(ApiKeys.API_VERSIONS, request("x"), ApiVersionsResponse.parser());
        assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(connection.inFlight()).isEqualTo(1);
        server.close();
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(NetworkException.class)
                .hasMessageContaining(HOST);
        assertThatThrownBy(() -> connection.send(ApiKeys.API_VERSIONS, request("y"), ApiVersionsResponse.parser()).get())
                .cause().isInstanceOf(NetworkException.class);
        assertThatThrownBy(() -> client.connect(new InetSocketAddress(HOST, server.port())).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(NetworkException.class)
                .hasMessageContaining("Cannot connect to " + HOST);
    }

    @Test
    void aRequestWithoutAnswerTimesOut() throws Exception {
        behaviour = (ctx, req) -> new CompletableFuture<>();
        Configuration fast = new Configuration().set(RpcOptions.REQUEST_TIMEOUT, Duration.ofMillis(200));
        try (RpcClient impatient = new RpcClient(fast)) {
            ServerConnection connection =
                    impatient.connect(new InetSocketAddress(HOST, server.port())).get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> connection.send(ApiKeys.API_VERSIONS, request("x"), ApiVersionsResponse.parser())
                            .get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RequestTimeoutException.class)
                    .hasMessageContaining("ApiVersions request 0")
                    .hasMessageContaining("within 200 ms");
        }
    }

    @Test
    void everyErrorCodeRoundTripsToItsException() {
        for (Errors error : Errors.values()) {
            if (error == Errors.NONE) {
                continue;
            }
            RuntimeException e = error.exception("message of " + error);
            assertThat(Errors.forException(e)).isEqualTo(error);
            assertThat(Errors.forCode(error.code())).isEqualTo(error);
            assertThat(e).hasMessage("message of " + error);
        }
        assertThat(Errors.forCode((short) 999)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forException(new IllegalStateException())).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forException(new InvalidRequestException("x"))).isEqualTo(Errors.INVALID_REQUEST);
        assertThatThrownBy(() -> ApiKeys.forId(63)).isInstanceOf(UnsupportedVersionException.class);
    }

    private void assertServesNewClients() throws Exception {
        assertThat(connect().send(ApiKeys.API_VERSIONS, request("after"), ApiVersionsResponse.parser())
                .get(10, TimeUnit.SECONDS).getApiVersionsCount()).isPositive();
    }

    private ServerConnection connect() throws Exception {
        return client.connect(new InetSocketAddress(HOST, server.port())).get(10, TimeUnit.SECONDS);
    }

    private static ApiVersionsRequest request(String name) {
        return ApiVersionsRequest.newBuilder().setClientSoftwareName(name).build();
    }

    /** A hand-written protocol peer on a plain socket, for frames no real client would send. */
    private final class RawConnection implements AutoCloseable {
        final Socket socket;
        final DataOutputStream out;
        final DataInputStream in;

        RawConnection() throws IOException {
            socket = new Socket(HOST, server.port());
            socket.setSoTimeout(10_000);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        }

        void send(int apiKey, int version, int requestId, byte[] body) throws IOException {
            out.writeInt(8 + body.length);
            out.writeShort(apiKey);
            out.writeShort(version);
            out.writeInt(requestId);
            out.write(body);
            out.flush();
        }

        Response readResponse(int expectedRequestId) throws IOException {
            int length = in.readInt();
            int requestId = in.readInt();
            Errors error = Errors.forCode(in.readShort());
            byte[] body = new byte[length - 6];
            in.readFully(body);
            assertThat(requestId).isEqualTo(expectedRequestId);
            return new Response(error, body);
        }

        void expectError(int requestId, Errors error, String messagePart) throws IOException {
            Response response = readResponse(requestId);
            assertThat(response.error).isEqualTo(error);
            assertThat(new String(response.body, StandardCharsets.UTF_8)).contains(messagePart);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private record Response(Errors error, byte[] body) {}
}

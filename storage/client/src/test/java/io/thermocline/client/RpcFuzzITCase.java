package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.rpc.messages.FetchBucket;
import io.thermocline.rpc.messages.FetchRequest;
import io.thermocline.rpc.messages.FetchTable;
import io.thermocline.rpc.messages.GetTableRequest;
import io.thermocline.rpc.messages.ListOffsetsRequest;
import io.thermocline.rpc.messages.LookupBucket;
import io.thermocline.rpc.messages.LookupRequest;
import io.thermocline.rpc.messages.ProduceBucket;
import io.thermocline.rpc.messages.ProduceRequest;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.RpcFrames;
import io.thermocline.server.testutils.TestCluster;

import com.google.protobuf.ByteString;
import io.netty.buffer.AbstractByteBuf;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * 100,000 random and mutated request frames against a real tablet server and coordinator, over
 * many connections on 127.0.0.1: the servers never crash or run out of memory, a connection whose
 * framing is broken is closed, and well-behaved clients are served throughout with their data
 * intact.
 */
class RpcFuzzITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();

    private static final int FRAMES = 100_000;
    private static final int FRAMES_PER_CONNECTION = 250;
    private static final long SEED = 20261123L;

    /** Buffers Netty found garbage-collected without release, while the servers took the fuzz. */
    private static final List<String> LEAKS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void trackEveryBuffer() throws Exception {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        // Netty reports leaks to its log only; its buffers' detector takes a listener (reflection: a test's look inside).
        Field detector = AbstractByteBuf.class.getDeclaredField("leakDetector");
        detector.setAccessible(true);
        ((ResourceLeakDetector<?>) detector.get(null)).setLeakListener((type, records) -> LEAKS.add(records));
    }

    @AfterAll
    static void trackAsBefore() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @Test
    void randomAndMutatedFramesNeverHurtTheServers() throws Exception {
        TablePath path = TablePath.of("fuzz", "events");
        long tableId;
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            connection.admin().createDatabase("fuzz", null, true).get();
            tableId = connection.admin().createTable(path, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT()).build()).buckets(1).replicationFactor(1).build(), false).get();
            try (AppendWriter writer = connection.table(path).newAppendWriter()) {
                for (long id = 0; id < 100; id++) {
                    writer.append(GenericRow.of(id));
                }
                writer.flush();
            }
        }
        List<byte[]> seeds = seedFrames(tableId);
        int[] ports = {CLUSTER.tabletServer(0).port(), CLUSTER.activeCoordinator().port()};
        Random random = new Random(SEED);
        int sent = 0;
        int closedForBrokenFraming = 0;
        try (Connection healthy = ConnectionFactory.create(CLUSTER.clientConf())) {
            for (int round = 0; sent < FRAMES; round++) {
                boolean breakFraming = round % 4 == 3;
                try (Socket socket = new Socket("127.0.0.1", ports[round % ports.length])) {
                    socket.setSoTimeout(10_000);
                    Thread drain = drain(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    for (int i = 0; i < FRAMES_PER_CONNECTION && sent < FRAMES; i++, sent++) {
                        byte[] frame = mutate(seeds.get(random.nextInt(seeds.size())), random);
                        while (isClusterControl(frame)) {
                            frame = mutate(seeds.get(random.nextInt(seeds.size())), random);
                        }
                        out.write(frame);
                    }
                    if (breakFraming) {
                        out.write(brokenFraming(random)); // a length no server accepts, or garbage
                        out.flush();
                        drain.join(10_000);
                        assertThat(drain.isAlive()).as("the server closes a connection with broken framing").isFalse();
                        closedForBrokenFraming++;
                    }
                } catch (IOException e) {
                    // the server closed the connection mid-write: what it may do with garbage
                }
                if (round % 40 == 0) {
                    // Well-behaved clients are served all along.
                    assertThat(healthy.admin().listDatabases().get()).contains("fuzz");
                    assertThat(healthy.admin().listOffsets(path, List.of(0), OffsetSpec.latest()).get())
                            .containsEntry(0, 100L);
                }
            }
            assertThat(sent).isEqualTo(FRAMES);
            assertThat(closedForBrokenFraming).isPositive();
            // Nothing acknowledged was lost or changed, and the servers still write and read.
            try (AppendWriter writer = healthy.table(path).newAppendWriter()) {
                writer.append(GenericRow.of(100L)).get();
            }
            assertThat(healthy.admin().listOffsets(path, List.of(0), OffsetSpec.latest()).get()).containsEntry(0, 101L);
            assertThat(healthy.admin().listOffsets(path, List.of(0), OffsetSpec.earliest()).get()).containsEntry(0, 0L);
        }
        // Leaks are reported when the collector has found them and a later buffer is tracked.
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(16).release();
        }
        assertThat(LEAKS).as("buffers never released").isEmpty();
    }

    /** Well-formed frames of the data and metadata APIs, to be mutated. */
    private static List<byte[]> seedFrames(long tableId) {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(RequestFrames.request(ApiKeys.FETCH, FetchRequest.newBuilder().setMaxBytes(1 << 20).setMaxWaitMs(0)
                .addTables(FetchTable.newBuilder().setTableId(tableId).addProjectedColumns(0)
                        .addBuckets(FetchBucket.newBuilder().setBucket(0).setFetchOffset(0).setMaxBytes(1 << 16)))
                .build().toByteArray()));
        seeds.add(RequestFrames.request(ApiKeys.LIST_OFFSETS, ListOffsetsRequest.newBuilder().setTableId(tableId).addBuckets(0)
                .setSpec(1).build().toByteArray()));
        seeds.add(RequestFrames.request(ApiKeys.LOOKUP, LookupRequest.newBuilder().setTableId(tableId).addBuckets(LookupBucket
                .newBuilder().setBucket(0).addKeys(ByteString.copyFromUtf8("key"))).build().toByteArray()));
        seeds.add(RequestFrames.request(ApiKeys.PRODUCE, ProduceRequest.newBuilder().setTableId(tableId).setAcks(1)
                .addBuckets(ProduceBucket.newBuilder().setBucket(0).setRecords(ByteString.copyFrom(new byte[64])))
                .build().toByteArray()));
        seeds.add(RequestFrames.request(ApiKeys.GET_TABLE, GetTableRequest.newBuilder().setDatabase("fuzz").setTable("events")
                .build().toByteArray()));
        for (ApiKeys api : ApiKeys.values()) {
            seeds.add(RequestFrames.request(api, new byte[0])); // every API with default fields
        }
        return seeds;
    }

    /**
     * A mutation that keeps the frame's length right (so the connection goes on): flipped bits or
     * random bytes in the body, or in the API key, version and request id; or random body bytes.
     */
    private static byte[] mutate(byte[] seed, Random random) {
        byte[] frame = seed.clone();
        int headerEnd = RpcFrames.LENGTH_FIELD_SIZE + RpcFrames.REQUEST_HEADER_SIZE;
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int flips = 1 + random.nextInt(8); flips > 0 && frame.length > headerEnd; flips--) {
                    int at = headerEnd + random.nextInt(frame.length - headerEnd);
                    frame[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> frame[RpcFrames.LENGTH_FIELD_SIZE + random.nextInt(RpcFrames.REQUEST_HEADER_SIZE)] =
                    (byte) random.nextInt(256);
            case 2 -> {
                byte[] body = new byte[random.nextInt(512)];
                random.nextBytes(body);
                ByteBuffer header = ByteBuffer.wrap(seed, RpcFrames.LENGTH_FIELD_SIZE, RpcFrames.REQUEST_HEADER_SIZE);
                frame = ByteBuffer.allocate(headerEnd + body.length).putInt(RpcFrames.REQUEST_HEADER_SIZE + body.length)
                        .put(header).put(body).array();
            }
            default -> {
                // unchanged: valid requests mixed in, so that handlers run between broken ones
            }
        }
        return frame;
    }

    /**
     * Commands that move or stop replicas. Without authorization (this cluster's case) they are
     * open by design, as Kafka's are without an authorizer, and a well-formed one is obeyed: a
     * stopped replica is what it asked for, not harm. With authorization they need ALTER on the
     * cluster (AuthorizationITCase, docs/security.md).
     */
    private static final java.util.Set<ApiKeys> CLUSTER_CONTROL = java.util.EnumSet.of(ApiKeys.STOP_REPLICAS,
            ApiKeys.NOTIFY_LEADER_AND_ISR, ApiKeys.ADJUST_ISR, ApiKeys.CONTROLLED_SHUTDOWN, ApiKeys.ELECT_LEADERS,
            ApiKeys.REASSIGN_REPLICAS, ApiKeys.DRAIN_SERVER);

    private static boolean isClusterControl(byte[] frame) {
        short key = ByteBuffer.wrap(frame, RpcFrames.LENGTH_FIELD_SIZE, 2).getShort();
        return ApiKeys.isKnown(key) && CLUSTER_CONTROL.contains(ApiKeys.forId(key));
    }

    /** Bytes whose framing no server accepts: a negative, tiny or oversize length. */
    private static byte[] brokenFraming(Random random) {
        int length = switch (random.nextInt(3)) {
            case 0 -> -1 - random.nextInt(Integer.MAX_VALUE);
            case 1 -> random.nextInt(RpcFrames.REQUEST_HEADER_SIZE);
            default -> (1 << 30) + random.nextInt(1 << 30);
        };
        byte[] rest = new byte[16];
        random.nextBytes(rest);
        return ByteBuffer.allocate(4 + rest.length).putInt(length).put(rest).array();
    }

    /** Reads and drops everything the server answers until it closes the connection. */
    private static Thread drain(InputStream in) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                while (in.read(buffer) >= 0) {
                    // answers are not checked: only that the server keeps serving
                }
            } catch (SocketTimeoutException e) {
                // still open after 10 s of silence
            } catch (IOException e) {
                // closed
            }
        }, "fuzz-drain");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

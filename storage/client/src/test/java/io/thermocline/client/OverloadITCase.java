package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.messages.FetchBucket;
import io.thermocline.rpc.messages.FetchBucketResult;
import io.thermocline.rpc.messages.FetchRequest;
import io.thermocline.rpc.messages.FetchResponse;
import io.thermocline.rpc.messages.FetchTable;
import io.thermocline.rpc.messages.LookupBucket;
import io.thermocline.rpc.messages.PrefixLookupRequest;
import io.thermocline.rpc.messages.PrefixLookupResponse;
import io.thermocline.rpc.messages.PrefixRows;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.server.tablet.TabletServer;
import io.thermocline.server.testutils.TestCluster;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Clients that ask too much of a tablet server: the server caps them and keeps serving the others. */
class OverloadITCase {
    private static final int FETCH_CAP = 256 * 1024;
    private static final int PREFIX_PAGE = 100;

    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1)
            .serverOption("fetch.max-bytes", FETCH_CAP / 1024 + " kb")
            .serverOption("lookup.prefix.max-rows", String.valueOf(PREFIX_PAGE))
            .serverOption("rpc.server.stalled-reader-timeout", "2 s")
            .serverOption("rpc.server.outbound-buffer", "64 kb")
            .serverOption("rpc.server.max-inflight-per-connection", "16")
            .build();

    private static final Schema ROWS = Schema.builder().column("id", DataTypes.BIGINT().notNull())
            .column("payload", DataTypes.STRING()).build();

    @Test
    void aFetchAskingForTwoGibibytesGetsTheServersCapAndOthersAreServed() throws Exception {
        int rows = 40_000;
        // Small batches: the response's size then shows the cap, not the size of one batch.
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf()
                .setString("client.writer.batch-size", "16 kb"));
                RpcClient rpc = new RpcClient(CLUSTER.clientConf())) {
            connection.admin().createDatabase("overload", null, true).get();
            TablePath path = TablePath.of("overload", "big_fetch");
            long tableId = connection.admin().createTable(path, TableDescriptor.builder(ROWS).buckets(1)
                    .replicationFactor(1).build(), false).get();
            Table table = connection.table(path);
            try (AppendWriter writer = table.newAppendWriter()) {
                for (long id = 0; id < rows; id++) {
                    writer.append(GenericRow.of(id, "x".repeat(100) + id));
                }
                writer.flush();
            }
            ServerConnection server = rpc.connect(new InetSocketAddress("127.0.0.1", CLUSTER.tabletServer(0).port()))
                    .get(10, TimeUnit.SECONDS);
            FetchRequest greedy = FetchRequest.newBuilder().setMaxBytes(Integer.MAX_VALUE).setMaxWaitMs(0)
                    .addTables(FetchTable.newBuilder().setTableId(tableId)
                            .addBuckets(FetchBucket.newBuilder().setBucket(0).setFetchOffset(0).setMaxBytes(Integer.MAX_VALUE)))
                    .build();
            ServerConnection.WithTrailingBytes<FetchResponse> answer = server.sendWithTrailingBytes(ApiKeys.FETCH, greedy,
                    FetchResponse.parser()).get(30, TimeUnit.SECONDS);
            FetchBucketResult bucket = answer.message().getTables(0).getBuckets(0);
            assertThat(bucket.getErrorCode()).isZero();
            assertThat(bucket.getHighWatermark()).isEqualTo(rows);
            // The cap, and no more than one batch beyond it (a reader always gets a whole first batch).
            assertThat(bucket.getRecordsSize()).isPositive().isLessThanOrEqualTo(FETCH_CAP + 64 * 1024);
            assertThat(answer.trailing().remaining()).isEqualTo(bucket.getRecordsSize());

            // A well-behaved reader still gets every row.
            long read = 0;
            try (LogScanner scanner = table.newLogScanner()) {
                scanner.subscribe(0, LogScanner.EARLIEST);
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (read < rows && System.nanoTime() < deadline) {
                    for (ScanRecord record : scanner.poll(Duration.ofSeconds(1))) {
                        assertThat(record.row().getLong(0)).isEqualTo(read);
                        read++;
                    }
                }
            }
            assertThat(read).isEqualTo(rows);
        }
    }

    @Test
    void prefixLookupsArePagedAnEmptyPrefixScansOnePageAtATime() throws Exception {
        Schema accounts = Schema.builder().column("region", DataTypes.STRING().notNull())
                .column("id", DataTypes.INT().notNull()).column("balance", DataTypes.BIGINT())
                .primaryKey("region", "id").build();
        int rows = 1_050;
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf());
                RpcClient rpc = new RpcClient(CLUSTER.clientConf())) {
            connection.admin().createDatabase("overload", null, true).get();
            TablePath path = TablePath.of("overload", "accounts");
            long tableId = connection.admin().createTable(path, TableDescriptor.builder(accounts).buckets(1, "region")
                    .replicationFactor(1).build(), false).get();
            Table table = connection.table(path);
            try (UpsertWriter writer = table.newUpsertWriter()) {
                for (int id = 0; id < rows; id++) {
                    writer.upsert(GenericRow.of(id % 10 == 0 ? "eu" : "us", id, (long) id));
                }
                writer.flush();
            }
            // More rows than a page: the lookuper gets them all, each once, in key order.
            List<GenericRow> us = table.newLookuper().prefixLookup(GenericRow.of("us")).get();
            assertThat(us).hasSize(rows - rows / 10);
            assertThat(us.stream().map(r -> r.getInt(1)).distinct().count()).isEqualTo(rows - rows / 10);

            // A raw empty prefix matches the whole bucket: one page of it per answer.
            ServerConnection server = rpc.connect(new InetSocketAddress("127.0.0.1", CLUSTER.tabletServer(0).port()))
                    .get(10, TimeUnit.SECONDS);
            PrefixRows page = server.send(ApiKeys.PREFIX_LOOKUP, PrefixLookupRequest.newBuilder().setTableId(tableId)
                    .addBuckets(LookupBucket.newBuilder().setBucket(0).addKeys(ByteString.EMPTY)).build(),
                    PrefixLookupResponse.parser()).get(30, TimeUnit.SECONDS).getBuckets(0).getRows(0);
            assertThat(page.getValuesCount()).isEqualTo(PREFIX_PAGE);
            assertThat(page.getResumeKey().isEmpty()).isFalse();
            assertThat(table.newLookuper().prefixLookup(GenericRow.of("eu")).get()).hasSize(rows / 10);
        }
    }

    @Test
    void fiveThousandIdleConnectionsAndAReaderThatNeverReadsLeaveOthersServed() throws Exception {
        TabletServer server = CLUSTER.tabletServer(0);
        int baseline = server.openConnections();
        List<Socket> idle = new ArrayList<>();
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            connection.admin().createDatabase("overload", null, true).get();
            TablePath path = TablePath.of("overload", "crowded");
            long tableId = connection.admin().createTable(path, TableDescriptor.builder(ROWS).buckets(1)
                    .replicationFactor(1).build(), false).get();
            Table table = connection.table(path);
            appendRows(table, 0, 20_000);
            assertThat(readAll(table, 20_000)).isEqualTo(20_000); // every connection the client needs is open now
            for (int i = 0; i < 5_000; i++) {
                idle.add(new Socket("127.0.0.1", server.port()));
            }
            TestCluster.waitUntil(() -> server.openConnections() >= baseline + 5_000, Duration.ofSeconds(60),
                    "the server holds 5,000 idle connections");

            // A reader that asks for the table over and over and never reads an answer.
            int before = server.openConnections();
            Socket greedy = new Socket("127.0.0.1", server.port());
            greedy.setReceiveBufferSize(4096);
            OutputStream out = greedy.getOutputStream();
            byte[] fetch = RequestFrames.request(ApiKeys.FETCH, FetchRequest.newBuilder().setMaxBytes(Integer.MAX_VALUE).setMaxWaitMs(0)
                    .addTables(FetchTable.newBuilder().setTableId(tableId)
                            .addBuckets(FetchBucket.newBuilder().setBucket(0).setFetchOffset(0)))
                    .build().toByteArray());
            int sent = 0;
            try {
                for (; sent < 2_000; sent++) {
                    out.write(fetch);
                }
            } catch (IOException closedByServer) {
                // it stopped reading us, then cut us off: what it should do
            }
            assertThat(sent).isPositive();

            // Others are served meanwhile: appends and reads of every row.
            appendRows(table, 20_000, 1_000);
            assertThat(readAll(table, 21_000)).isEqualTo(21_000);
            TestCluster.waitUntil(() -> server.openConnections() == before, Duration.ofSeconds(30),
                    "the server cuts off the reader that never reads");
            assertThat(isClosedByPeer(greedy)).isTrue();
            greedy.close();
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        TestCluster.waitUntil(() -> server.openConnections() <= baseline + 2, Duration.ofSeconds(60),
                "the idle connections are gone");
    }

    /** Whether the server closed the connection: what is left to read ends in end-of-stream or a reset. */
    private static boolean isClosedByPeer(Socket socket) {
        try {
            socket.setSoTimeout(200);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1 << 16];
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false; // still open, and nothing more came
        } catch (IOException e) {
            return true;
        }
    }

    private static void appendRows(Table table, long from, int count) throws Exception {
        try (AppendWriter writer = table.newAppendWriter()) {
            for (long id = from; id < from + count; id++) {
                writer.append(GenericRow.of(id, "x".repeat(100) + id));
            }
            writer.flush();
        }
    }

    private static long readAll(Table table, long rows) {
        long read = 0;
        try (LogScanner scanner = table.newLogScanner()) {
            scanner.subscribe(0, LogScanner.EARLIEST);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (read < rows && System.nanoTime() < deadline) {
                read += scanner.poll(Duration.ofSeconds(1)).size();
            }
        }
        return read;
    }
}

package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchFormat;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.testutils.ArrowTestBase;
import io.thermocline.common.testutils.TestBatches;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.RowType;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.messages.FetchBucket;
import io.thermocline.rpc.messages.FetchBucketResult;
import io.thermocline.rpc.messages.FetchRequest;
import io.thermocline.rpc.messages.FetchResponse;
import io.thermocline.rpc.messages.FetchTable;
import io.thermocline.rpc.messages.ListOffsetsRequest;
import io.thermocline.rpc.messages.ListOffsetsResponse;
import io.thermocline.rpc.messages.ProduceBucket;
import io.thermocline.rpc.messages.ProduceBucketResult;
import io.thermocline.rpc.messages.ProduceRequest;
import io.thermocline.rpc.messages.ProduceResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.server.testutils.TestCluster;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Produce, fetch and list-offsets over the wire against bucket leaders of a real 3-server
 * cluster, with batches built by the log format's builder (the client's writer and scanner will
 * sit on exactly these requests).
 */
class DataPathITCase extends ArrowTestBase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3).build();

    private static final Schema EVENTS = Schema.builder()
            .column("id", DataTypes.BIGINT().notNull())
            .column("name", DataTypes.STRING())
            .column("score", DataTypes.DOUBLE())
            .build();
    private static final RowType ROW = EVENTS.rowType();

    static Connection connection;
    static Admin admin;
    static RpcClient rpc;

    @BeforeAll
    static void connect() throws Exception {
        connection = ConnectionFactory.create(CLUSTER.clientConf());
        admin = connection.admin();
        rpc = new RpcClient(new Configuration());
        admin.createDatabase("data", null, true).get();
    }

    @AfterAll
    static void close() {
        rpc.close();
        connection.close();
    }

    @Test
    void rowsComeBackCompleteAndInOrderPerBucket() throws Exception {
        TableInfo table = createTable("ordered", 4);
        for (int bucket = 0; bucket < 4; bucket++) {
            ServerConnection leader = leader(table, bucket);
            for (int b = 0; b < 10; b++) {
                ProduceBucketResult result = produce(leader, table.tableId(), bucket, batch(bucket * 10_000L + b * 100, 100));
                assertThat(result.getErrorCode()).isZero();
                assertThat(result.getBaseOffset()).isEqualTo(b * 100L);
            }
        }
        for (int bucket = 0; bucket < 4; bucket++) {
            List<GenericRow> rows = fetchAll(leader(table, bucket), table.tableId(), bucket, List.of(), ROW, 1000);
            assertThat(rows).hasSize(1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(rows.get(i).getLong(0)).isEqualTo(bucket * 10_000L + i);
            }
            ListOffsetsResponse earliest = listOffsets(leader(table, bucket), table.tableId(), bucket, 0, 0);
            ListOffsetsResponse latest = listOffsets(leader(table, bucket), table.tableId(), bucket, 1, 0);
            ListOffsetsResponse future = listOffsets(leader(table, bucket), table.tableId(), bucket, 2, Long.MAX_VALUE);
            assertThat(earliest.getBuckets(0).getOffset()).isZero();
            assertThat(latest.getBuckets(0).getOffset()).isEqualTo(1000);
            assertThat(future.getBuckets(0).getOffset()).isEqualTo(-1);
        }
    }

    @Test
    void projectionReturnsOnlyTheRequestedColumns() throws Exception {
        TableInfo table = createTable("projected", 1);
        ServerConnection leader = leader(table, 0);
        produce(leader, table.tableId(), 0, batch(0, 50));
        RowType projected = ROW.project(new int[] {2, 0});
        List<GenericRow> rows = fetchAll(leader, table.tableId(), 0, List.of(2, 0), projected, 50);
        assertThat(rows.get(7)).isEqualTo(GenericRow.of(7 * 1.5, 7L));
        assertThat(rows.get(7).fieldCount()).isEqualTo(2);
    }

    @Test
    void aWaitingFetchReceivesANewRowWithoutPolling() throws Exception {
        TableInfo table = createTable("pushed", 1);
        ServerConnection leader = leader(table, 0);
        CompletableFuture<ServerConnection.WithTrailingBytes<FetchResponse>> waiting = leader.sendWithTrailingBytes(
                ApiKeys.FETCH, fetchRequest(table.tableId(), 0, 0, List.of(), 30_000), FetchResponse.parser());
        Thread.sleep(300); // let the fetch park on the empty bucket
        assertThat(waiting).isNotDone();
        long appended = System.nanoTime();
        produce(leader(table, 0), table.tableId(), 0, batch(42, 1));
        ServerConnection.WithTrailingBytes<FetchResponse> response = waiting.get(10, TimeUnit.SECONDS);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - appended);
        FetchBucketResult bucket = response.message().getTables(0).getBuckets(0);
        assertThat(bucket.getHighWatermark()).isEqualTo(1);
        assertThat(bucket.getRecordsSize()).isEqualTo(response.trailing().remaining());
        assertThat(decode(response.trailing(), ROW)).containsExactly(row(42));
        // woken by the append, not by the 30 s wait running out
        assertThat(waitedMs).isLessThan(5_000);
    }

    @Test
    void badProducesGetTypedPerBucketErrorsAndHarmNothingElse() throws Exception {
        TableInfo table = createTable("guarded", 2);
        ServerConnection leader0 = leader(table, 0);
        produce(leader0, table.tableId(), 0, batch(0, 10));

        // a server that does not lead the bucket names the leader
        int notLeaderId = (table.buckets().get(0).leader() + 1) % 3;
        ServerConnection notLeader = connect(CLUSTER.tabletServer(notLeaderId).port());
        ProduceBucketResult wrongServer = produce(notLeader, table.tableId(), 0, batch(10, 1));
        assertThat(Errors.forCode((short) wrongServer.getErrorCode())).isEqualTo(Errors.NOT_LEADER);
        assertThat(wrongServer.getErrorMessage()).contains("is led by server " + table.buckets().get(0).leader());

        ProduceBucketResult unknownTable = produce(leader0, 987_654, 0, batch(10, 1));
        assertThat(Errors.forCode((short) unknownTable.getErrorCode())).isEqualTo(Errors.TABLE_NOT_EXIST);
        assertThat(unknownTable.getErrorMessage()).contains("987654");

        MemoryLogRecords otherSchema = TestBatches.appendOnly(ROW, 5, LogCompression.NONE, List.of(row(1)), allocator);
        ProduceBucketResult wrongSchema = produce(leader0, table.tableId(), 0, otherSchema);
        assertThat(Errors.forCode((short) wrongSchema.getErrorCode())).isEqualTo(Errors.INVALID_RECORD);
        assertThat(wrongSchema.getErrorMessage()).contains("schema id 5").contains("offset 10");

        MemoryLogRecords corrupt = batch(10, 3);
        ByteBuffer bytes = corrupt.buffer();
        bytes.put(bytes.limit() - 1, (byte) (bytes.get(bytes.limit() - 1) ^ 1));
        ProduceBucketResult damaged = produce(leader0, table.tableId(), 0, corrupt);
        assertThat(Errors.forCode((short) damaged.getErrorCode())).isEqualTo(Errors.CORRUPT_RECORD);
        assertThat(damaged.getErrorMessage()).contains("CRC mismatch");

        // one request, a bad bucket beside a good one: the good one is appended
        ProduceResponse mixed = leader0.send(ApiKeys.PRODUCE, ProduceRequest.newBuilder().setTableId(table.tableId())
                .addBuckets(ProduceBucket.newBuilder().setBucket(0).setRecords(bytes(batch(10, 5))))
                .addBuckets(ProduceBucket.newBuilder().setBucket(9).setRecords(bytes(batch(0, 1))))
                .build(), ProduceResponse.parser()).get(10, TimeUnit.SECONDS);
        assertThat(mixed.getBuckets(0).getErrorCode()).isZero();
        assertThat(Errors.forCode((short) mixed.getBuckets(1).getErrorCode())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(mixed.getBuckets(1).getErrorMessage()).contains("has no bucket 9");
        assertThat(fetchAll(leader0, table.tableId(), 0, List.of(), ROW, 15)).hasSize(15);
    }

    @Test
    void anOversizeBatchIsRefusedNamingBothSizesAndTheBucketKeepsItsData() throws Exception {
        TableInfo table = createTable("bounded", 1);
        ServerConnection leader = leader(table, 0);
        produce(leader, table.tableId(), 0, batch(0, 10));
        List<GenericRow> big = new ArrayList<>();
        String kilobyte = "k".repeat(1024);
        for (int i = 0; i < 9 * 1024; i++) {
            big.add(GenericRow.of((long) i, kilobyte, 0.0));
        }
        MemoryLogRecords oversize = TestBatches.appendOnly(ROW, 1, LogCompression.NONE, big, allocator);
        ProduceBucketResult refused = produce(leader, table.tableId(), 0, oversize);
        assertThat(Errors.forCode((short) refused.getErrorCode())).isEqualTo(Errors.RECORD_BATCH_TOO_LARGE);
        assertThat(refused.getErrorMessage()).contains(oversize.sizeInBytes() + " bytes")
                .contains("limit of " + (8 << 20) + " bytes").contains("log.max-batch-size");
        assertThat(fetchAll(leader, table.tableId(), 0, List.of(), ROW, 10)).hasSize(10);
        assertThat(produce(leader, table.tableId(), 0, batch(10, 5)).getBaseOffset()).isEqualTo(10);
    }

    @Test
    void aRestartedTabletServerKeepsEveryAcknowledgedRow() throws Exception {
        TableInfo table = createTable("durable", 1);
        int leaderId = table.buckets().get(0).leader();
        for (int b = 0; b < 20; b++) {
            assertThat(produce(leader(table, 0), table.tableId(), 0, batch(b * 50L, 50)).getErrorCode()).isZero();
        }
        CLUSTER.restartTabletServer(leaderId);
        TestCluster.waitUntil(() -> {
            try {
                return admin.getTable(table.path()).get().buckets().get(0).leaderAddress() != null;
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(30), "the restarted leader registers again");
        TableInfo after = admin.getTable(table.path()).get(10, TimeUnit.SECONDS);
        List<GenericRow> rows = fetchAll(leader(after, 0), table.tableId(), 0, List.of(), ROW, 1000);
        assertThat(rows).hasSize(1000);
        assertThat(rows.get(999).getLong(0)).isEqualTo(999L);
    }

    // ------------------------------------------------------------------ helpers

    private TableInfo createTable(String name, int buckets) throws Exception {
        TablePath path = TablePath.of("data", name);
        admin.createTable(path, TableDescriptor.builder(EVENTS).buckets(buckets).build(), false).get(30, TimeUnit.SECONDS);
        return admin.getTable(path).get(30, TimeUnit.SECONDS);
    }

    private static GenericRow row(long id) {
        return GenericRow.of(id, "event-" + id, id * 1.5);
    }

    private MemoryLogRecords batch(long firstId, int rows) {
        List<GenericRow> list = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            list.add(row(firstId + i));
        }
        return TestBatches.appendOnly(ROW, 1, LogCompression.LZ4_FRAME, list, allocator);
    }

    private static ByteString bytes(MemoryLogRecords records) {
        return ByteString.copyFrom(records.buffer());
    }

    private static ServerConnection connect(int port) throws Exception {
        return rpc.connect(new InetSocketAddress("127.0.0.1", port)).get(10, TimeUnit.SECONDS);
    }

    private static ServerConnection leader(TableInfo table, int bucket) throws Exception {
        String address = table.buckets().get(bucket).leaderAddress();
        return connect(Integer.parseInt(address.substring(address.indexOf(':') + 1)));
    }

    private static ProduceBucketResult produce(ServerConnection leader, long tableId, int bucket, MemoryLogRecords records)
            throws Exception {
        return leader.send(ApiKeys.PRODUCE, ProduceRequest.newBuilder().setTableId(tableId)
                        .addBuckets(ProduceBucket.newBuilder().setBucket(bucket).setRecords(bytes(records))).build(),
                ProduceResponse.parser()).get(10, TimeUnit.SECONDS).getBuckets(0);
    }

    private static FetchRequest fetchRequest(long tableId, int bucket, long offset, List<Integer> columns, int maxWaitMs) {
        return FetchRequest.newBuilder().setMaxWaitMs(maxWaitMs).setMinBytes(1).setMaxBytes(1 << 20)
                .addTables(FetchTable.newBuilder().setTableId(tableId).addAllProjectedColumns(columns)
                        .addBuckets(FetchBucket.newBuilder().setBucket(bucket).setFetchOffset(offset)))
                .build();
    }

    private List<GenericRow> fetchAll(ServerConnection leader, long tableId, int bucket, List<Integer> columns,
            RowType rowType, long endOffset) throws Exception {
        List<GenericRow> rows = new ArrayList<>();
        long offset = 0;
        while (offset < endOffset) {
            ServerConnection.WithTrailingBytes<FetchResponse> response = leader.sendWithTrailingBytes(ApiKeys.FETCH,
                    fetchRequest(tableId, bucket, offset, columns, 1000), FetchResponse.parser()).get(10, TimeUnit.SECONDS);
            FetchBucketResult result = response.message().getTables(0).getBuckets(0);
            assertThat(result.getErrorCode()).as(result.getErrorMessage()).isZero();
            assertThat(result.getRecordsSize()).isEqualTo(response.trailing().remaining());
            for (LogRecordBatch batch : MemoryLogRecords.readableRecords(response.trailing()).batches()) {
                assertThat(batch.baseOffset()).isEqualTo(offset);
                assertThat(batch.commitTimestamp()).isNotEqualTo(LogRecordBatchFormat.NO_TIMESTAMP);
                rows.addAll(TestBatches.decode(batch, rowType, allocator));
                offset = batch.nextOffset();
            }
        }
        return rows;
    }

    private List<GenericRow> decode(ByteBuffer batches, RowType rowType) {
        List<GenericRow> rows = new ArrayList<>();
        for (LogRecordBatch batch : MemoryLogRecords.readableRecords(batches).batches()) {
            rows.addAll(TestBatches.decode(batch, rowType, allocator));
        }
        return rows;
    }

    private static ListOffsetsResponse listOffsets(ServerConnection leader, long tableId, int bucket, int spec,
            long timestamp) throws Exception {
        return leader.send(ApiKeys.LIST_OFFSETS, ListOffsetsRequest.newBuilder().setTableId(tableId).addBuckets(bucket)
                .setSpec(spec).setTimestamp(timestamp).build(), ListOffsetsResponse.parser()).get(10, TimeUnit.SECONDS);
    }
}

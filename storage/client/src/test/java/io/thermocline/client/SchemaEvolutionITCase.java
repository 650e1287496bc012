package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * ALTER TABLE ADD COLUMN on a running, replicated cluster: writers and readers of the old and the
 * new schema at the same time, in log and primary-key tables, and across a leader change.
 */
class SchemaEvolutionITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3).build();

    private static final Schema EVENTS = Schema.builder().column("id", DataTypes.INT().notNull())
            .column("name", DataTypes.STRING()).build();
    private static final Schema USERS = Schema.builder().column("id", DataTypes.INT().notNull())
            .column("name", DataTypes.STRING()).primaryKey("id").build();
    private static final List<DataField> ADDED = List.of(new DataField("score", DataTypes.BIGINT(), "added later"),
            new DataField("tag", DataTypes.STRING()));

    static Connection connection;
    static Admin admin;

    @BeforeAll
    static void connect() throws Exception {
        connection = ConnectionFactory.create(CLUSTER.clientConf());
        admin = connection.admin();
        admin.createDatabase("evo", null, true).get();
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Test
    void logTableReadersAndWritersOfBothSchemasAtOnce() throws Exception {
        TablePath path = TablePath.of("evo", "events");
        admin.createTable(path, TableDescriptor.builder(EVENTS).buckets(2).replicationFactor(3).build(), false).get();
        Table before = connection.table(path);
        try (AppendWriter oldWriter = before.newAppendWriter(); LogScanner oldScanner = before.newLogScanner()) {
            oldWriter.append(GenericRow.of(1, str("a"))).get();

            admin.addColumns(path, ADDED).get();
            Table after = connection.table(path);
            assertThat(after.info().schema().schemaId()).isEqualTo(2);
            assertThat(after.info().schema().columnNames()).containsExactly("id", "name", "score", "tag");
            assertThat(after.info().schema(1)).contains(before.info().schema());
            try (AppendWriter newWriter = after.newAppendWriter()) {
                newWriter.append(GenericRow.of(2, str("b"), 20L, str("new"))).get();
                oldWriter.append(GenericRow.of(3, str("c"))).get(); // a writer of the old schema goes on
            }

            // The new schema's reader: old rows have null in the new columns.
            assertThat(read(after.newLogScanner(), 2, 3)).containsExactlyInAnyOrder("[1, a, null, null]",
                    "[2, b, 20, new]", "[3, c, null, null]");
            // Projected by the servers, new columns first: old batches keep only what they have.
            assertThat(read(after.newLogScanner(new int[] {3, 0}), 2, 3)).containsExactlyInAnyOrder("[null, 1]",
                    "[new, 2]", "[null, 3]");
            assertThat(read(after.newLogScanner(new int[] {2}), 2, 3)).containsExactlyInAnyOrder("[null]", "[20]",
                    "[null]");
            // The scanner opened before the ALTER keeps its schema: the new columns are left out.
            for (int b = 0; b < 2; b++) {
                oldScanner.subscribe(b, LogScanner.EARLIEST);
            }
            assertThat(poll(oldScanner, 3)).containsExactlyInAnyOrder("+I[1, a]", "+I[2, b]", "+I[3, c]");
        }
    }

    @Test
    void primaryKeyTableMergesRowsOfBothSchemasAndKeepsThemAcrossALeaderChange() throws Exception {
        TablePath path = TablePath.of("evo", "users");
        admin.createTable(path, TableDescriptor.builder(USERS).buckets(1).replicationFactor(3).build(), false).get();
        Table before = connection.table(path);
        Lookuper oldLookuper = before.newLookuper();
        try (UpsertWriter oldWriter = before.newUpsertWriter()) {
            oldWriter.upsert(GenericRow.of(1, str("ann"))).get();
            oldWriter.upsert(GenericRow.of(2, str("bob"))).get();

            admin.addColumns(path, ADDED).get();
            Table after = connection.table(path);
            try (UpsertWriter scores = after.newUpsertWriter("id", "score")) {
                scores.upsert(GenericRow.of(1, null, 10L, null)).get(); // a partial update of a new column
            }
            oldWriter.upsert(GenericRow.of(2, str("bobby"))).get(); // an old-schema upsert of a widened row
            oldWriter.delete(GenericRow.of(1, null)).get();
            oldWriter.upsert(GenericRow.of(1, str("ann2"))).get();
            try (UpsertWriter full = after.newUpsertWriter()) {
                full.upsert(GenericRow.of(3, str("cy"), 30L, str("t"))).get();
            }
            Lookuper lookuper = after.newLookuper();
            assertThat(lookups(lookuper)).containsExactly("[1, ann2, null, null]", "[2, bobby, null, null]",
                    "[3, cy, 30, t]");
            assertThat(lookups(oldLookuper)).containsExactly("[1, ann2]", "[2, bobby]", "[3, cy]");

            // The changelog is in the newest schema once a writer used it.
            List<String> changelog = new ArrayList<>();
            try (LogScanner scanner = after.newLogScanner()) {
                scanner.subscribe(0, LogScanner.EARLIEST);
                changelog.addAll(poll(scanner, 10));
            }
            assertThat(changelog).containsExactly("+I[1, ann, null, null]", "+I[2, bob, null, null]",
                    "-U[1, ann, null, null]", "+U[1, ann, 10, null]", "-U[2, bob, null, null]",
                    "+U[2, bobby, null, null]", "-D[1, ann, 10, null]", "+I[1, ann2, null, null]",
                    "+I[3, cy, 30, t]");

            // A new leader rebuilds its state from a changelog of two schemas.
            int leader = admin.getTable(path).get().buckets().get(0).leader();
            CLUSTER.stopTabletServer(leader);
            try {
                oldWriter.upsert(GenericRow.of(4, str("di"))).get(60, TimeUnit.SECONDS);
                assertThat(lookups(after.newLookuper())).containsExactly("[1, ann2, null, null]",
                        "[2, bobby, null, null]", "[3, cy, 30, t]");
            } finally {
                CLUSTER.startTabletServer(leader);
            }
        }
    }

    @Test
    void badColumnsAreRefusedNamingThemAndChangeNothing() throws Exception {
        TablePath path = TablePath.of("evo", "strict");
        admin.createTable(path, TableDescriptor.builder(USERS).buckets(1).build(), false).get();
        assertThatThrownBy(() -> admin.addColumns(path, List.of(new DataField("n", DataTypes.INT().notNull()))).get())
                .hasCauseInstanceOf(SchemaException.class).hasMessageContaining("evo.strict")
                .hasMessageContaining("`n`").hasMessageContaining("nullable");
        assertThatThrownBy(() -> admin.addColumns(path, List.of(new DataField("name", DataTypes.INT()))).get())
                .hasCauseInstanceOf(SchemaException.class).hasMessageContaining("`name` already exists");
        assertThatThrownBy(() -> admin.addColumns(path, List.of(new DataField("a", DataTypes.INT()),
                new DataField("a", DataTypes.INT()))).get())
                .hasCauseInstanceOf(SchemaException.class).hasMessageContaining("`a` is defined twice");
        assertThatThrownBy(() -> admin.addColumns(TablePath.of("evo", "nope"), ADDED).get())
                .hasCauseInstanceOf(TableNotExistException.class).hasMessageContaining("evo.nope");
        assertThat(admin.getTable(path).get().schema()).isEqualTo(USERS);

        admin.addColumns(path, ADDED.subList(0, 1)).get(); // still alterable
        assertThat(admin.getTable(path).get().schema().columnNames()).containsExactly("id", "name", "score");
    }

    private static List<String> lookups(Lookuper lookuper) throws ExecutionException, InterruptedException {
        List<String> rows = new ArrayList<>();
        for (var row : lookuper.lookupAll(List.of(GenericRow.of(1), GenericRow.of(2), GenericRow.of(3))).get()) {
            rows.add(row.map(SchemaEvolutionITCase::text).orElse("none"));
        }
        return rows;
    }

    private static List<String> read(LogScanner scanner, int buckets, int expected) {
        try (scanner) {
            for (int b = 0; b < buckets; b++) {
                scanner.subscribe(b, LogScanner.EARLIEST);
            }
            return poll(scanner, expected).stream().map(r -> r.substring(2)).toList();
        }
    }

    /** Records as change type and values, e.g. {@code +I[1, a]}. */
    private static List<String> poll(LogScanner scanner, int expected) {
        List<String> rows = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rows.size() < expected && System.nanoTime() < deadline) {
            for (ScanRecord record : scanner.poll(Duration.ofMillis(200))) {
                rows.add(record.changeType() + text(record.row()));
            }
        }
        return rows;
    }

    private static String text(InternalRow row) {
        GenericRow generic = (GenericRow) row;
        List<String> values = new ArrayList<>();
        for (int i = 0; i < generic.fieldCount(); i++) {
            values.add(String.valueOf(generic.getField(i)));
        }
        return values.toString();
    }

    private static BinaryString str(String s) {
        return BinaryString.fromString(s);
    }
}

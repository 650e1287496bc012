package io.thermocline.server.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.internal.record.ChangeType;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Random upserts, deletes and partial updates against an in-memory model of each merge engine:
 * the changelog must be consistent (an update's before image is the current row, an insert is of
 * a new key), replaying it must give the model, and lookups after the high watermark must too,
 * also after a reopen and for a tablet rebuilt from the changelog alone.
 */
class KvTabletModelTest {
    private static final TableBucket BUCKET = new TableBucket(9, 0);
    private static final Schema SCHEMA = Schema.builder()
            .column("id", DataTypes.INT().notNull())
            .column("a", DataTypes.INT())
            .column("b", DataTypes.STRING())
            .column("v", DataTypes.BIGINT())
            .primaryKey("id")
            .build();
    private static final int[] A_ONLY = {0, 1};
    private static final int[] B_ONLY = {0, 2};

    @TempDir
    Path dir;

    static Stream<Arguments> engines() {
        List<Arguments> cases = new ArrayList<>();
        for (long seed = 0; seed < 8; seed++) {
            cases.add(Arguments.of("LAST_ROW", seed));
            cases.add(Arguments.of("FIRST_ROW", seed));
            cases.add(Arguments.of("VERSIONED", seed));
            cases.add(Arguments.of("AGGREGATION", seed));
        }
        return cases.stream();
    }

    private static Map<String, String> options(String engine) {
        Map<String, String> options = new HashMap<>();
        options.put("table.merge-engine", engine);
        if (engine.equals("VERSIONED")) {
            options.put("table.merge-engine.versioned.version-column", "v");
        }
        if (engine.equals("AGGREGATION")) {
            options.put("table.merge-engine.aggregation.functions", "a=sum,v=max");
        }
        return options;
    }

    @ParameterizedTest
    @MethodSource("engines")
    void changelogAndLookupsMatchTheModel(String engine, long seed) {
        Random random = new Random(seed);
        RowMerger merger = RowMerger.of(TablePath.of("db", "t"), SCHEMA, options(engine));
        Model model = new Model(engine);
        Map<Integer, Object[]> replayed = new TreeMap<>();
        List<Object[]> changelog = new ArrayList<>(); // offset, change type, row
        long logEnd = 0;
        try (KvTablet tablet = KvTablet.open(dir.resolve("kv"), BUCKET, SCHEMA, merger)) {
            for (int step = 0; step < 300; step++) {
                List<KvTablet.Write> writes = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(5); i++) {
                    writes.add(randomWrite(random, model));
                }
                KvTablet.Prepared prepared = tablet.prepare(writes);
                for (int i = 0; i < prepared.changelog().size(); i++) {
                    KvTablet.ChangeRow change = prepared.changelog().get(i);
                    apply(replayed, change);
                    changelog.add(new Object[] {logEnd + i, change.changeType(), change.row()});
                }
                tablet.commit(prepared, logEnd);
                logEnd += prepared.changelog().size();
                if (random.nextInt(4) == 0) {
                    tablet.flush(logEnd - random.nextInt((int) Math.min(3, logEnd) + 1));
                }
                assertThat(asLists(replayed)).as("changelog replay after step %d", step).isEqualTo(asLists(model.rows));
            }
            tablet.flush(logEnd);
            assertLookups(tablet, model);
        }
        try (KvTablet reopened = KvTablet.open(dir.resolve("kv"), BUCKET, SCHEMA, merger)) {
            assertThat(reopened.appliedOffset()).isEqualTo(logEnd);
            assertLookups(reopened, model);
        }
        try (KvTablet rebuilt = KvTablet.open(dir.resolve("rebuilt"), BUCKET, SCHEMA, merger)) {
            for (Object[] change : changelog) {
                rebuilt.replay((ChangeType) change[1], (GenericRow) change[2], (Long) change[0]);
            }
            rebuilt.flush(logEnd);
            assertLookups(rebuilt, model);
        }
    }

    private static void assertLookups(KvTablet tablet, Model model) {
        for (int id = 0; id < 20; id++) {
            Object[] expected = model.rows.get(id);
            var actual = tablet.get(tablet.encodeKey(GenericRow.of(id, null, null, null)));
            if (expected == null) {
                assertThat(actual).as("key %d", id).isEmpty();
            } else {
                assertThat(values(actual.orElseThrow())).as("key %d", id).isEqualTo(expected);
            }
        }
    }

    private static Map<Integer, List<Object>> asLists(Map<Integer, Object[]> rows) {
        Map<Integer, List<Object>> lists = new TreeMap<>();
        rows.forEach((id, row) -> lists.put(id, Arrays.asList(row)));
        return lists;
    }

    private static KvTablet.Write randomWrite(Random random, Model model) {
        int id = random.nextInt(20);
        Integer a = random.nextInt(5) == 0 ? null : random.nextInt(100);
        String b = random.nextInt(5) == 0 ? null : "b" + random.nextInt(10);
        Long v = random.nextInt(6) == 0 ? null : (long) random.nextInt(10);
        GenericRow row = GenericRow.of(id, a, b == null ? null : BinaryString.fromString(b), v);
        int kind = random.nextInt(10);
        int[] targets = kind == 7 ? A_ONLY : kind == 8 ? B_ONLY : null;
        if (model.engine.equals("VERSIONED") && targets != null) {
            targets = new int[] {targets[0], targets[1], 3};
        }
        boolean delete = kind >= 9 || (kind == 6 && random.nextBoolean());
        model.apply(delete, id, new Object[] {id, a, b, v}, targets);
        return new KvTablet.Write(delete, row, targets);
    }

    private static void apply(Map<Integer, Object[]> replayed, KvTablet.ChangeRow change) {
        Object[] row = values(change.row());
        int id = (Integer) row[0];
        switch (change.changeType()) {
            case INSERT:
                assertThat(replayed).as("+I of a new key").doesNotContainKey(id);
                replayed.put(id, row);
                break;
            case UPDATE_BEFORE:
            case DELETE:
                assertThat(replayed.get(id)).as(change.changeType() + " carries the current row").isEqualTo(row);
                if (change.changeType() == ChangeType.DELETE) {
                    replayed.remove(id);
                }
                break;
            default:
                assertThat(replayed).as("+U of an existing key").containsKey(id);
                replayed.put(id, row);
        }
    }

    private static Object[] values(GenericRow row) {
        return new Object[] {row.getField(0), row.getField(1),
                row.getField(2) == null ? null : row.getField(2).toString(), row.getField(3)};
    }

    /** What each engine should do, written independently of {@link RowMerger}. */
    private static final class Model {
        final String engine;
        final Map<Integer, Object[]> rows = new TreeMap<>();

        Model(String engine) {
            this.engine = engine;
        }

        void apply(boolean delete, int id, Object[] incoming, int[] targets) {
            Object[] old = rows.get(id);
            if (delete) {
                boolean ignore = engine.equals("FIRST_ROW") || engine.equals("AGGREGATION");
                if (old == null || ignore) {
                    return;
                }
                if (targets == null) {
                    rows.remove(id);
                    return;
                }
                Object[] cleared = old.clone();
                for (int t : targets) {
                    if (t != 0) {
                        cleared[t] = null;
                    }
                }
                if (cleared[1] == null && cleared[2] == null && cleared[3] == null) {
                    rows.remove(id);
                } else {
                    rows.put(id, cleared);
                }
                return;
            }
            Object[] merged;
            if (old == null) {
                merged = incoming.clone();
            } else {
                switch (engine) {
                    case "FIRST_ROW":
                        return;
                    case "VERSIONED":
                        if (old[3] != null && (incoming[3] == null || (Long) incoming[3] < (Long) old[3])) {
                            return;
                        }
                        merged = incoming.clone();
                        break;
                    case "AGGREGATION":
                        merged = new Object[] {id,
                                old[1] == null ? incoming[1] : incoming[1] == null ? old[1]
                                        : (Integer) old[1] + (Integer) incoming[1],
                                incoming[2] != null ? incoming[2] : old[2],
                                old[3] == null ? incoming[3] : incoming[3] == null ? old[3]
                                        : Math.max((Long) old[3], (Long) incoming[3])};
                        break;
                    default:
                        merged = incoming.clone();
                }
            }
            if (targets != null) {
                for (int i = 1; i < 4; i++) {
                    final int column = i;
                    if (Arrays.stream(targets).noneMatch(t -> t == column)) {
                        merged[i] = old == null ? null : old[i];
                    }
                }
            }
            if (old != null && Arrays.equals(old, merged)) {
                return;
            }
            rows.put(id, merged);
        }
    }
}

package io.thermocline.server.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;

import org.junit.jupiter.api.Test;

import java.util.Map;

/** Merge options and partial updates that cannot work are refused, naming table, column and reason. */
class RowMergerTest {
    private static final TablePath TABLE = TablePath.of("shop", "stock");
    private static final Schema SCHEMA = Schema.builder()
            .column("sku", DataTypes.STRING().notNull())
            .column("qty", DataTypes.INT().notNull())
            .column("note", DataTypes.STRING())
            .column("seen", DataTypes.TIMESTAMP(3))
            .primaryKey("sku")
            .build();

    @Test
    void badMergeOptionsNameTheProblem() {
        assertThatThrownBy(() -> RowMerger.of(TABLE, SCHEMA, Map.of("table.merge-engine", "VERSIONED")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("shop.stock")
                .hasMessageContaining("version-column");
        assertThatThrownBy(() -> RowMerger.of(TABLE, SCHEMA, Map.of("table.merge-engine", "VERSIONED",
                "table.merge-engine.versioned.version-column", "nope")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> RowMerger.of(TABLE, SCHEMA, Map.of("table.merge-engine", "AGGREGATION",
                "table.merge-engine.aggregation.functions", "note=sum")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("`note`").hasMessageContaining("sum");
        assertThatThrownBy(() -> RowMerger.of(TABLE, SCHEMA, Map.of("table.merge-engine", "AGGREGATION",
                "table.merge-engine.aggregation.functions", "qty=median")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("median");
        assertThatThrownBy(() -> RowMerger.of(TABLE, SCHEMA, Map.of("table.merge-engine", "AGGREGATION",
                "table.merge-engine.aggregation.functions", "sku=max")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("key column");
    }

    @Test
    void partialUpdatesMustSetTheKeyAndEveryNotNullColumn() {
        RowMerger merger = RowMerger.of(TABLE, SCHEMA, Map.of());
        assertThatThrownBy(() -> merger.checkTargets(new int[] {1, 2}))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("shop.stock")
                .hasMessageContaining("key column `sku`");
        assertThatThrownBy(() -> merger.checkTargets(new int[] {0, 2}))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("`qty`")
                .hasMessageContaining("NOT NULL");
        merger.checkTargets(new int[] {0, 1});
    }

    @Test
    void disabledDeletesAreRefusedAndIgnoredOnesKeepTheRow() {
        GenericRow row = GenericRow.of("a", 1, null, null);
        RowMerger disabled = RowMerger.of(TABLE, SCHEMA, Map.of("table.delete.behavior", "DISABLE"));
        assertThatThrownBy(() -> disabled.delete(row, null))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("shop.stock")
                .hasMessageContaining("DISABLE");
        RowMerger ignoring = RowMerger.of(TABLE, SCHEMA, Map.of("table.delete.behavior", "IGNORE"));
        assertThat(ignoring.delete(row, null)).isSameAs(row);
        assertThat(RowMerger.of(TABLE, SCHEMA, Map.of()).delete(row, null)).isNull();
    }
}

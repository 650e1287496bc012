package io.thermocline.common.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.types.DataTypes;

import org.junit.jupiter.api.Test;

class SchemaTest {

    @Test
    void primaryKeyColumnsBecomeNotNull() {
        Schema schema = Schema.builder()
                .column("id", DataTypes.BIGINT())
                .column("name", DataTypes.STRING(), "display name")
                .primaryKey("id")
                .build();
        assertThat(schema.schemaId()).isEqualTo(Schema.INITIAL_SCHEMA_ID);
        assertThat(schema.rowType().typeAt(0)).isEqualTo(DataTypes.BIGINT().notNull());
        assertThat(schema.rowType().typeAt(1).isNullable()).isTrue();
        assertThat(schema.primaryKeyIndexes()).containsExactly(0);
        assertThat(schema.toString()).isEqualTo(
                "Schema 1 (`id` BIGINT NOT NULL, `name` STRING COMMENT 'display name', PRIMARY KEY (id))");
    }

    @Test
    void invalidSchemasNameTheColumn() {
        assertThatThrownBy(() -> Schema.builder().column("a", DataTypes.INT()).column("a", DataTypes.INT()).build())
                .isInstanceOf(SchemaException.class).hasMessageContaining("`a` is defined twice");
        assertThatThrownBy(() -> Schema.builder().column("a", DataTypes.INT()).primaryKey("b").build())
                .isInstanceOf(SchemaException.class).hasMessageContaining("`b` is not a column");
        assertThatThrownBy(() -> Schema.builder()
                        .column("tags", DataTypes.ARRAY(DataTypes.STRING())).primaryKey("tags").build())
                .isInstanceOf(SchemaException.class).hasMessageContaining("`tags`").hasMessageContaining("primitive");
        assertThatThrownBy(() -> Schema.builder().build()).isInstanceOf(SchemaException.class);
        assertThatThrownBy(() -> Schema.builder().column("a", DataTypes.INT()).build().columnIndex("zz"))
                .isInstanceOf(SchemaException.class).hasMessageContaining("`zz`");
    }

    @Test
    void addingANullableColumnMakesTheNextVersion() {
        Schema v1 = Schema.builder().column("id", DataTypes.INT()).primaryKey("id").build();
        Schema v2 = v1.addColumn("note", DataTypes.STRING(), null);
        assertThat(v2.schemaId()).isEqualTo(2);
        assertThat(v2.columnNames()).containsExactly("id", "note");
        assertThat(v2.primaryKey()).containsExactly("id");
        assertThatThrownBy(() -> v1.addColumn("x", DataTypes.INT().notNull(), null))
                .isInstanceOf(SchemaException.class).hasMessageContaining("`x` must be nullable");
    }

    @Test
    void typesPrintAndCompareWithTheirParameters() {
        assertThat(DataTypes.DECIMAL(10, 2).toString()).isEqualTo("DECIMAL(10, 2)");
        assertThat(DataTypes.TIMESTAMP_LTZ(3).notNull().toString()).isEqualTo("TIMESTAMP_LTZ(3) NOT NULL");
        assertThat(DataTypes.MAP(DataTypes.STRING(), DataTypes.INT()).toString()).isEqualTo("MAP<STRING, INT>");
        assertThat(DataTypes.TIMESTAMP(3)).isNotEqualTo(DataTypes.TIMESTAMP(6));
        assertThat(DataTypes.DECIMAL(10, 2)).isEqualTo(DataTypes.DECIMAL(10, 2));
        assertThatThrownBy(() -> DataTypes.DECIMAL(39, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataTypes.TIMESTAMP(10)).isInstanceOf(IllegalArgumentException.class);
    }
}

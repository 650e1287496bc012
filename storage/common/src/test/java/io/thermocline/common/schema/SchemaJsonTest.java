package io.thermocline.common.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.testutils.RandomRows;
import io.thermocline.common.types.DataTypes;

import org.junit.jupiter.api.Test;

class SchemaJsonTest {

    @Test
    void everyTypeRoundTrips() {
        Schema schema = Schema.builder()
                .fromFields(RandomRows.allTypes().fields())
                .column("tags", DataTypes.ARRAY(DataTypes.STRING().notNull()), "labels")
                .column("attrs", DataTypes.MAP(DataTypes.STRING(), DataTypes.DECIMAL(5, 1)))
                .column("point", DataTypes.ROW(DataTypes.FIELD("x", DataTypes.DOUBLE()), DataTypes.FIELD("y", DataTypes.DOUBLE())))
                .primaryKey("n3", "n9")
                .schemaId(7)
                .build();
        assertThat(SchemaJson.fromJson(SchemaJson.toJson(schema))).isEqualTo(schema);
        for (long seed = 0; seed < 50; seed++) {
            Schema random = Schema.builder().fromFields(new RandomRows(seed).randomRowType(12).fields()).build();
            assertThat(SchemaJson.fromJson(SchemaJson.toJson(random))).isEqualTo(random);
        }
    }

    @Test
    void badJsonIsRefusedWithTheReason() {
        assertThatThrownBy(() -> SchemaJson.fromJson("{not json")).isInstanceOf(SchemaException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> SchemaJson.fromJson("{\"version\":9}")).isInstanceOf(SchemaException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> SchemaJson.fromJson(
                        "{\"version\":1,\"schemaId\":1,\"columns\":[{\"name\":\"a\",\"type\":{\"root\":\"UUID\"}}]}"))
                .isInstanceOf(SchemaException.class).hasMessageContaining("'UUID'");
    }
}

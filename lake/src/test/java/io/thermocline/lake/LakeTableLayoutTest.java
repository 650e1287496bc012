package io.thermocline.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

import java.util.List;

class LakeTableLayoutTest {
    private static final TablePath PATH = TablePath.of("db", "t");

    @Test
    void everyPrimitiveTypeMapsAndSystemColumnsFollow() {
        Schema schema = Schema.builder()
                .column("b", DataTypes.BOOLEAN()).column("ti", DataTypes.TINYINT()).column("si", DataTypes.SMALLINT())
                .column("i", DataTypes.INT().notNull()).column("l", DataTypes.BIGINT()).column("f", DataTypes.FLOAT())
                .column("d", DataTypes.DOUBLE()).column("dec", DataTypes.DECIMAL(20, 3)).column("s", DataTypes.STRING())
                .column("bin", DataTypes.BYTES()).column("day", DataTypes.DATE()).column("tm", DataTypes.TIME())
                .column("ts", DataTypes.TIMESTAMP(6)).column("tsl", DataTypes.TIMESTAMP_LTZ(3))
                .primaryKey("i").build();
        org.apache.iceberg.Schema lake = new LakeTableLayout(PATH, 1, schema, List.of(), List.of("i"), 4).icebergSchema();
        assertThat(lake.columns()).extracting(f -> f.type().toString()).containsExactly("boolean", "int", "int", "int",
                "long", "float", "double", "decimal(20, 3)", "string", "binary", "date", "time", "timestamp",
                "timestamptz", "int", "long", "timestamptz");
        assertThat(lake.columns()).extracting(Types.NestedField::name).endsWith("__bucket", "__offset", "__timestamp");
        assertThat(lake.identifierFieldNames()).containsExactly("i");
        assertThat(lake.findField("i").isRequired()).isTrue();
        assertThat(lake.findField("s").isOptional()).isTrue();
    }

    @Test
    void oneBucketColumnIsIcebergsBucketTransformSeveralAreTheBucketColumn() {
        Schema schema = Schema.builder().column("region", DataTypes.STRING().notNull())
                .column("id", DataTypes.BIGINT().notNull()).column("k2", DataTypes.INT().notNull())
                .column("v", DataTypes.DOUBLE()).build();
        LakeTableLayout single = new LakeTableLayout(PATH, 1, schema, List.of("region"), List.of("id"), 8);
        PartitionSpec spec = single.partitionSpec(single.icebergSchema());
        assertThat(spec.fields()).extracting(f -> f.transform().toString()).containsExactly("identity", "bucket[8]");
        LakeTableLayout several = new LakeTableLayout(PATH, 1, schema, List.of(), List.of("id", "k2"), 8);
        assertThat(several.partitionSpec(several.icebergSchema()).fields())
                .extracting(f -> several.icebergSchema().findColumnName(f.sourceId())).containsExactly("__bucket");
        LakeTableLayout doubles = new LakeTableLayout(PATH, 1, schema, List.of(), List.of("v"), 8);
        assertThat(doubles.hashesLikeIceberg()).isFalse();
    }

    @Test
    void typesIcebergCannotHoldAreRefusedNamingTheColumn() {
        Schema nanos = Schema.builder().column("at", DataTypes.TIMESTAMP(9)).build();
        assertThatThrownBy(() -> new LakeTableLayout(PATH, 1, nanos, List.of(), List.of(), 1).icebergSchema())
                .isInstanceOf(LakeException.class).hasMessageContaining("db.t").hasMessageContaining("`at`")
                .hasMessageContaining("precision");
        Schema clash = Schema.builder().column("__offset", DataTypes.BIGINT()).build();
        assertThatThrownBy(() -> new LakeTableLayout(PATH, 1, clash, List.of(), List.of(), 1).icebergSchema())
                .isInstanceOf(LakeException.class).hasMessageContaining("`__offset`");
    }
}

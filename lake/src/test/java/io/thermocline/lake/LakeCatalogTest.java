package io.thermocline.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;

import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real Hadoop catalog on a local warehouse. */
class LakeCatalogTest {
    private static final Schema SCHEMA = Schema.builder().column("id", DataTypes.BIGINT().notNull())
            .column("name", DataTypes.STRING()).primaryKey("id").build();

    @TempDir
    Path warehouse;
    LakeCatalog catalog;

    @BeforeEach
    void open() {
        catalog = new LakeCatalog(Map.of("lake.catalog.warehouse", warehouse.toString()));
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private static LakeTableLayout layout(String table, long tableId) {
        return new LakeTableLayout(TablePath.of("db", table), tableId, SCHEMA, List.of(), List.of("id"), 4);
    }

    @Test
    void createsAFormatV2TableOwnedByItsTableIdAndARetryFindsIt() {
        Table created = catalog.createTable(layout("t", 7));
        assertThat(((HasTableOperations) created).operations().current().formatVersion()).isEqualTo(2);
        assertThat(created.properties()).containsEntry(LakeCatalog.TABLE_ID_PROPERTY, "7");
        assertThat(created.schema().identifierFieldNames()).containsExactly("id");
        assertThat(created.spec().fields()).extracting(f -> f.transform().toString()).containsExactly("bucket[4]");
        assertThat(catalog.createTable(layout("t", 7)).location()).isEqualTo(created.location());
        assertThat(catalog.loadTable(layout("t", 7)).location()).isEqualTo(created.location());
    }

    @Test
    void anIcebergTableOfAnotherOwnerIsNeverTakenOver() {
        catalog.createTable(layout("t", 7));
        assertThatThrownBy(() -> catalog.createTable(layout("t", 8))).isInstanceOf(LakeException.class)
                .hasMessageContaining("db.t").hasMessageContaining("did not create");
        assertThatThrownBy(() -> catalog.loadTable(layout("t", 8))).isInstanceOf(LakeException.class)
                .hasMessageContaining("changed outside Thermocline").hasMessageContaining("table id 7");
        catalog.dropTable(TablePath.of("db", "t"), 8); // not its table: kept
        assertThat(catalog.loadTable(layout("t", 7))).isNotNull();
        catalog.dropTable(TablePath.of("db", "t"), 7);
        assertThatThrownBy(() -> catalog.loadTable(layout("t", 7))).isInstanceOf(LakeException.class)
                .hasMessageContaining("is gone");
    }

    @Test
    void aTableChangedBehindOurBackIsNamedWithWhatChanged() {
        Table table = catalog.createTable(layout("t", 7));
        table.updateSchema().deleteColumn("name").commit();
        assertThatThrownBy(() -> catalog.loadTable(layout("t", 7))).isInstanceOf(LakeException.class)
                .hasMessageContaining("`name` is missing");
        table.updateSchema().addColumn("name", Types.LongType.get()).commit();
        assertThatThrownBy(() -> catalog.loadTable(layout("t", 7))).isInstanceOf(LakeException.class)
                .hasMessageContaining("`name` is long, expected string");
        Table other = catalog.createTable(layout("u", 9));
        other.updateSpec().removeField("id_bucket").addField("id").commit();
        assertThatThrownBy(() -> catalog.loadTable(layout("u", 9))).isInstanceOf(LakeException.class)
                .hasMessageContaining("partition spec");
    }

    @Test
    void addedColumnsGoBeforeTheSystemColumnsOnceAndReEnablingAddsThemToo() {
        catalog.createTable(layout("t", 7));
        Schema v2 = SCHEMA.addColumns(List.of(new io.thermocline.common.types.DataField("note", DataTypes.STRING(), "why"),
                new io.thermocline.common.types.DataField("price", DataTypes.DECIMAL(10, 2))));
        LakeTableLayout altered = new LakeTableLayout(TablePath.of("db", "t"), 7, v2, List.of(), List.of("id"), 4);
        catalog.addMissingColumns(altered);
        catalog.addMissingColumns(altered); // a retried ALTER
        Table table = catalog.loadTable(altered);
        assertThat(table.schema().columns()).extracting(Types.NestedField::name)
                .containsExactly("id", "name", "note", "price", "__bucket", "__offset", "__timestamp");
        assertThat(table.schema().findField("note").isOptional()).isTrue();
        assertThat(table.schema().findField("note").doc()).isEqualTo("why");

        // ALTERed while the lake was off: enabling it again finds the table and adds the column.
        Schema v3 = v2.addColumn("score", DataTypes.DOUBLE(), null);
        Table reenabled = catalog.createTable(new LakeTableLayout(TablePath.of("db", "t"), 7, v3, List.of(), List.of("id"), 4));
        assertThat(reenabled.schema().findField("score")).isNotNull();
    }

    @Test
    void anUnreachableCatalogIsATypedErrorNamingIt() {
        try (LakeCatalog rest = new LakeCatalog(Map.of("lake.catalog.type", "rest",
                "lake.catalog.uri", "http://127.0.0.1:1", "lake.catalog-name", "remote"))) {
            assertThatThrownBy(() -> rest.createTable(layout("t", 1))).isInstanceOf(LakeException.class)
                    .hasMessageContaining("'remote'").hasMessageContaining("rest");
        }
        try (LakeCatalog none = new LakeCatalog(Map.of())) {
            assertThat(none.isConfigured()).isFalse();
            assertThatThrownBy(() -> none.createTable(layout("t", 1))).isInstanceOf(LakeException.class)
                    .hasMessageContaining("lake.catalog.warehouse");
        }
    }

    @Test
    void aHadoopCatalogOnObjectStorageIsRefusedSayingWhyAndWhatToUse() {
        assertThatThrownBy(() -> new LakeCatalog(Map.of("lake.catalog.warehouse", "s3://bucket/lake")))
                .isInstanceOf(LakeException.class).hasMessageContaining("s3://bucket/lake")
                .hasMessageContaining("no atomic rename").hasMessageContaining("lake.catalog.type = rest")
                .hasMessageContaining("jdbc");
        assertThatThrownBy(() -> new LakeCatalog(Map.of("lake.catalog.type", "hadoop",
                "lake.catalog.warehouse", "gs://bucket/lake"))).hasMessageContaining("gs://bucket/lake");
    }

    @Test
    void restAndJdbcCatalogsUseS3FileIoForALakeOnS3() {
        LakeCatalog rest = new LakeCatalog(Map.of("lake.catalog.type", "rest", "lake.catalog.uri", "http://x",
                "lake.catalog.warehouse", "s3://bucket/lake"));
        assertThat(rest.properties()).containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
                .containsEntry("rest.client.socket-timeout-ms", "60000")
                .containsEntry("rest.client.connection-timeout-ms", "10000");
        LakeCatalog chosen = new LakeCatalog(Map.of("lake.catalog.type", "jdbc", "lake.catalog.io-impl",
                "org.apache.iceberg.aws.s3.S3FileIO"));
        assertThat(chosen.properties()).containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        assertThat(catalog.properties()).doesNotContainKey("io-impl");
        // Elsewhere, ResolvingFileIO picks by each file's scheme; S3 settings mean S3.
        assertThat(new LakeCatalog(Map.of("lake.catalog.type", "rest", "lake.catalog.uri", "http://x")).properties())
                .containsEntry("io-impl", "org.apache.iceberg.io.ResolvingFileIO");
        assertThat(new LakeCatalog(Map.of("lake.catalog.type", "rest", "lake.catalog.uri", "http://x",
                "lake.catalog.s3.endpoint", "http://s3:9000")).properties())
                .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    }
}

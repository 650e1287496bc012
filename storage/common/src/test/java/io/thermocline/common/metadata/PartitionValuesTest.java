package io.thermocline.common.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.row.TimestampNtz;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DataTypes;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

class PartitionValuesTest {
    private static final TablePath TABLE = TablePath.of("db", "t");

    @Test
    void textGivenInDdlBecomesTheTextWritersDerive() {
        check(DataTypes.INT(), "007", 7, "7");
        check(DataTypes.BIGINT(), " -12 ", -12L, "-12");
        check(DataTypes.BOOLEAN(), "TRUE", true, "true");
        check(DataTypes.DECIMAL(6, 2), "3.5", new BigDecimal("3.50"), "3.50");
        check(DataTypes.DATE(), "2026-11-23", (int) LocalDate.of(2026, 11, 23).toEpochDay(), "2026-11-23");
        check(DataTypes.TIMESTAMP(3), "2026-11-23T10:15:30",
                TimestampNtz.fromLocalDateTime(LocalDateTime.of(2026, 11, 23, 10, 15, 30)), "2026-11-23T10:15:30");
        check(DataTypes.TIMESTAMP_LTZ(3), "2026-11-23T10:15:30Z",
                TimestampLtz.fromEpochMillis(1_795_428_930_000L), "2026-11-23T10:15:30Z");
        check(DataTypes.BYTES(), "CAFE", new byte[] {(byte) 0xca, (byte) 0xfe}, "cafe");
        check(DataTypes.DOUBLE(), "1.50", 1.5d, "1.5");
    }

    private static void check(DataType type, String ddlText, Object rowValue, String canonical) {
        assertThat(PartitionValues.canonical(TABLE, "c", type, ddlText)).isEqualTo(canonical);
        assertThat(PartitionValues.render(type, rowValue)).isEqualTo(canonical);
    }

    @Test
    void valuesThatDoNotParseAreRefusedNamingTableColumnAndType() {
        assertThatThrownBy(() -> PartitionValues.canonical(TABLE, "day", DataTypes.DATE(), "2026-02-30"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("db.t").hasMessageContaining("`day`")
                .hasMessageContaining("DATE");
        assertThatThrownBy(() -> PartitionValues.canonical(TABLE, "n", DataTypes.TINYINT(), "300"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("TINYINT");
        assertThatThrownBy(() -> PartitionValues.canonical(TABLE, "d", DataTypes.DECIMAL(4, 1), "1.25"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("DECIMAL(4, 1)");
        assertThatThrownBy(() -> PartitionValues.canonical(TABLE, "s", DataTypes.STRING(), "x".repeat(257)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("256");
    }

    @Test
    void namesEscapeSeparatorsSoDistinctValuesNeverCollide() {
        String tricky = PartitionValues.name(List.of("a", "b"), List.of("x/b=y", "z"));
        String plain = PartitionValues.name(List.of("a", "b"), List.of("x", "y/b=z"));
        assertThat(tricky).isEqualTo("a=x%2Fb%3Dy/b=z");
        assertThat(plain).isEqualTo("a=x/b=y%2Fb%3Dz");
        assertThat(PartitionValues.name(List.of("a"), List.of("100%\n"))).isEqualTo("a=100%25%0A");
    }

    @Test
    void extractorReadsRowsAndRefusesNullPartitionValues() {
        Schema schema = Schema.builder().column("id", DataTypes.INT()).column("region", DataTypes.STRING())
                .column("day", DataTypes.DATE()).build();
        PartitionValues.Extractor extractor = PartitionValues.extractor(TABLE, schema, List.of("region", "day"));
        assertThat(extractor.values(GenericRow.of(1, BinaryString.fromString("eu"), 20_000)))
                .containsExactly("eu", LocalDate.ofEpochDay(20_000).toString());
        assertThatThrownBy(() -> extractor.values(GenericRow.of(1, null, 20_000)))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("db.t").hasMessageContaining("`region`");
    }
}

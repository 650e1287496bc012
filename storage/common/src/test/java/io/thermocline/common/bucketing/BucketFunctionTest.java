package io.thermocline.common.bucketing;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.row.TimestampNtz;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DataTypes;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/** The hash values the Iceberg spec lists for its bucket transform (Appendix B). */
class BucketFunctionTest {

    private static int hash(DataType type, Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BucketFunction.write(bytes, type, value);
        return Murmur3.hash32(bytes.toByteArray());
    }

    @Test
    void hashesMatchTheIcebergSpec() {
        assertThat(hash(DataTypes.INT(), 34)).isEqualTo(2017239379);
        assertThat(hash(DataTypes.BIGINT(), 34L)).isEqualTo(2017239379);
        assertThat(hash(DataTypes.DECIMAL(9, 2), new BigDecimal("14.20"))).isEqualTo(-500754589);
        assertThat(hash(DataTypes.DATE(), (int) LocalDate.of(2017, 11, 16).toEpochDay())).isEqualTo(-653330422);
        assertThat(hash(DataTypes.TIME(), (int) (LocalTime.of(22, 31, 8).toNanoOfDay() / 1_000_000)))
                .isEqualTo(-662762989);
        assertThat(hash(DataTypes.TIMESTAMP(6),
                TimestampNtz.fromLocalDateTime(LocalDateTime.of(2017, 11, 16, 22, 31, 8)))).isEqualTo(-2047944441);
        assertThat(hash(DataTypes.TIMESTAMP(6),
                TimestampNtz.fromLocalDateTime(LocalDateTime.of(2017, 11, 16, 22, 31, 8, 1000)))).isEqualTo(-1207196810);
        assertThat(hash(DataTypes.TIMESTAMP_LTZ(6), TimestampLtz.fromInstant(Instant.parse("2017-11-16T22:31:08Z"))))
                .isEqualTo(-2047944441);
        assertThat(hash(DataTypes.STRING(), BinaryString.fromString("iceberg"))).isEqualTo(1210000089);
        assertThat(hash(DataTypes.BYTES(), new byte[] {0, 1, 2, 3})).isEqualTo(-188683207);
    }

    @Test
    void bucketsAreNonNegativeAndSpread() {
        BucketFunction function = new BucketFunction(DataTypes.ROW(DataTypes.FIELD("id", DataTypes.INT())),
                new int[] {0}, 16);
        int[] counts = new int[16];
        for (int id = -5000; id < 5000; id++) {
            counts[function.bucket(GenericRow.of(id))]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(500, 750);
        }
        // bucket of 34 in 16 buckets, as Iceberg's bucket[16] transform puts it
        assertThat(function.bucket(GenericRow.of(34))).isEqualTo((2017239379 & Integer.MAX_VALUE) % 16);
    }
}

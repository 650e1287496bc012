package io.thermocline.common.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.row.GenericRow;
import io.thermocline.common.testutils.RandomRows;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.RowType;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

class KvEncodingTest {

    @Test
    void valuesOfEveryTypeRoundTripWithNulls() {
        RowType type = RandomRows.allTypes();
        RandomRows random = new RandomRows(7);
        ValueEncoder encoder = new ValueEncoder(type, 3);
        for (int i = 0; i < 500; i++) {
            GenericRow row = random.randomRow(type, 20);
            byte[] value = encoder.encode(row);
            assertThat(ValueEncoder.schemaIdOf(value)).isEqualTo(3);
            GenericRow decoded = ValueEncoder.decode(value, type);
            for (int f = 0; f < type.fieldCount(); f++) {
                Object expected = row.getField(f);
                Object actual = decoded.getField(f);
                if (expected instanceof byte[]) {
                    assertThat((byte[]) actual).isEqualTo((byte[]) expected);
                } else if (expected instanceof java.math.BigDecimal) {
                    assertThat((java.math.BigDecimal) actual).isEqualByComparingTo((java.math.BigDecimal) expected);
                } else {
                    assertThat(actual).as("column %d", f).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void keysOfEveryTypeAreDistinctAndPrefixFree() {
        RowType type = RandomRows.allTypes();
        RandomRows random = new RandomRows(11);
        // the NOT NULL columns are the odd ones
        int[] all = new int[type.fieldCount() / 2];
        for (int i = 0; i < all.length; i++) {
            all[i] = 2 * i + 1;
        }
        KeyEncoder full = new KeyEncoder(type, all);
        KeyEncoder prefix = new KeyEncoder(type, Arrays.copyOf(all, 10));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            GenericRow row = random.randomRow(type, 0);
            byte[] key = full.encode(row);
            byte[] head = prefix.encode(row);
            assertThat(Arrays.copyOf(key, head.length)).isEqualTo(head);
            seen.add(Arrays.toString(key));
        }
        assertThat(seen).hasSizeGreaterThan(490);
    }

    @Test
    void keysWithEmbeddedZerosAndPrefixesStayApart() {
        RowType type = DataTypes.ROW(DataTypes.FIELD("a", DataTypes.STRING().notNull()),
                DataTypes.FIELD("b", DataTypes.STRING().notNull()));
        KeyEncoder encoder = new KeyEncoder(type, new int[] {0, 1});
        byte[] one = encoder.encode(GenericRow.of(io.thermocline.common.row.BinaryString.fromString("a\u0000"),
                io.thermocline.common.row.BinaryString.fromString("b")));
        byte[] two = encoder.encode(GenericRow.of(io.thermocline.common.row.BinaryString.fromString("a"),
                io.thermocline.common.row.BinaryString.fromString("\u0000b")));
        assertThat(one).isNotEqualTo(two);
        KeyEncoder ints = new KeyEncoder(DataTypes.ROW(DataTypes.FIELD("i", DataTypes.INT().notNull())), new int[] {0});
        assertThat(Arrays.compareUnsigned(ints.encode(GenericRow.of(-5)), ints.encode(GenericRow.of(3)))).isNegative();
    }
}

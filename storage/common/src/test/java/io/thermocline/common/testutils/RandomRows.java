package io.thermocline.common.testutils;

import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.row.TimestampNtz;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.RowType;
import io.thermocline.common.types.TimestampType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random schemas and rows covering every storable type, reproducible by seed. */
public final class RandomRows {
    private final Random random;

    public RandomRows(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    /** One column of every storable type, nullable, plus the same again NOT NULL. */
    public static RowType allTypes() {
        List<DataField> fields = new ArrayList<>();
        List<DataType> types = List.of(
                DataTypes.BOOLEAN(), DataTypes.TINYINT(), DataTypes.SMALLINT(), DataTypes.INT(), DataTypes.BIGINT(),
                DataTypes.FLOAT(), DataTypes.DOUBLE(), DataTypes.DECIMAL(10, 2), DataTypes.DECIMAL(38, 10),
                DataTypes.STRING(), DataTypes.BYTES(), DataTypes.DATE(), DataTypes.TIME(), DataTypes.TIMESTAMP(0),
                DataTypes.TIMESTAMP(3), DataTypes.TIMESTAMP(6), DataTypes.TIMESTAMP(9), DataTypes.TIMESTAMP_LTZ(3),
                DataTypes.TIMESTAMP_LTZ(6), DataTypes.TIMESTAMP_LTZ(9));
        for (int i = 0; i < types.size(); i++) {
            fields.add(new DataField("c" + i, types.get(i)));
            fields.add(new DataField("n" + i, types.get(i).notNull()));
        }
        return new RowType(fields, false);
    }

    public RowType randomRowType(int columns) {
        List<DataField> fields = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            DataType type = randomType();
            fields.add(new DataField("f" + i, random.nextBoolean() ? type : type.notNull()));
        }
        return new RowType(fields, false);
    }

    public DataType randomType() {
        switch (random.nextInt(14)) {
            case 0: return DataTypes.BOOLEAN();
            case 1: return DataTypes.TINYINT();
            case 2: return DataTypes.SMALLINT();
            case 3: return DataTypes.INT();
            case 4: return DataTypes.BIGINT();
            case 5: return DataTypes.FLOAT();
            case 6: return DataTypes.DOUBLE();
            case 7:
                int precision = 1 + random.nextInt(38);
                return DataTypes.DECIMAL(precision, random.nextInt(precision + 1));
            case 8: return DataTypes.STRING();
            case 9: return DataTypes.BYTES();
            case 10: return DataTypes.DATE();
            case 11: return DataTypes.TIME();
            case 12: return DataTypes.TIMESTAMP(random.nextInt(10));
            default: return DataTypes.TIMESTAMP_LTZ(random.nextInt(10));
        }
    }

    /** A row with about {@code nullPercent}% nulls in nullable columns. */
    public GenericRow randomRow(RowType rowType, int nullPercent) {
        GenericRow row = new GenericRow(rowType.fieldCount());
        for (int i = 0; i < rowType.fieldCount(); i++) {
            DataType type = rowType.typeAt(i);
            boolean isNull = type.isNullable() && random.nextInt(100) < nullPercent;
            row.setField(i, isNull ? null : randomValue(type));
        }
        return row;
    }

    public Object randomValue(DataType type) {
        switch (type.root()) {
            case BOOLEAN: return random.nextBoolean();
            case TINYINT: return (byte) random.nextInt();
            case SMALLINT: return (short) random.nextInt();
            case INTEGER: return random.nextInt();
            case BIGINT: return random.nextLong();
            case FLOAT: return random.nextFloat() * 1e6f - 5e5f;
            case DOUBLE: return random.nextDouble() * 1e12 - 5e11;
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                BigInteger unscaled = new BigInteger(130, random).mod(BigInteger.TEN.pow(decimal.precision()));
                return new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), decimal.scale());
            case STRING: return BinaryString.fromString(randomString(random.nextInt(40)));
            case BYTES:
                byte[] bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
                return bytes;
            case DATE: return random.nextInt(200_000) - 100_000;
            case TIME_WITHOUT_TIME_ZONE: return random.nextInt(86_400_000);
            case TIMESTAMP_WITHOUT_TIME_ZONE: {
                int precision = ((TimestampType) type).precision();
                return TimestampNtz.fromMillis(randomMillis(), randomNanoOfMillis(precision));
            }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
                int precision = ((TimestampType) type).precision();
                return TimestampLtz.fromEpochMillis(randomMillis(), randomNanoOfMillis(precision));
            }
            default:
                throw new IllegalArgumentException("No random values for " + type);
        }
    }

    public String randomString(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            if (kind < 7) {
                sb.append((char) ('a' + random.nextInt(26)));
            } else if (kind < 9) {
                sb.append((char) (0x00E0 + random.nextInt(0x20))); // two UTF-8 bytes
            } else {
                sb.appendCodePoint(0x1F600 + random.nextInt(0x40)); // four UTF-8 bytes
            }
        }
        return sb.toString();
    }

    private long randomMillis() {
        // Years 1900 to 2100, sub-second part included.
        return (long) (random.nextDouble() * 6.3e12) - 2_208_988_800_000L;
    }

    private int randomNanoOfMillis(int precision) {
        if (precision <= 3) {
            return 0;
        }
        int nanos = random.nextInt(1_000_000);
        return precision <= 6 ? nanos / 1000 * 1000 : nanos;
    }
}

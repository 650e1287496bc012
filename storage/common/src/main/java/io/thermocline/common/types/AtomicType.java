package io.thermocline.common.types;

import java.util.EnumSet;
import java.util.Set;

/**
 * A type without parameters: BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, STRING,
 * BYTES, DATE and TIME (milliseconds of the day).
 */
public final class AtomicType extends DataType {
    private static final long serialVersionUID = 1L;

    private static final Set<DataTypeRoot> ATOMIC_ROOTS =
            EnumSet.of(
                    DataTypeRoot.BOOLEAN,
                    DataTypeRoot.TINYINT,
                    DataTypeRoot.SMALLINT,
                    DataTypeRoot.INTEGER,
                    DataTypeRoot.BIGINT,
                    DataTypeRoot.FLOAT,
                    DataTypeRoot.DOUBLE,
                    DataTypeRoot.STRING,
                    DataTypeRoot.BYTES,
                    DataTypeRoot.DATE,
                    DataTypeRoot.TIME_WITHOUT_TIME_ZONE);

    public AtomicType(DataTypeRoot root, boolean nullable) {
        super(root, nullable);
        if (!ATOMIC_ROOTS.contains(root)) {
            throw new IllegalArgumentException(root + " takes parameters; use DataTypes to create it");
        }
    }

    @Override
    public DataType copy(boolean nullable) {
        return new AtomicType(root(), nullable);
    }

    @Override
    public String asSummaryString() {
        switch (root()) {
            case INTEGER:
                return "INT";
            case TIME_WITHOUT_TIME_ZONE:
                return "TIME";
            default:
                return root().name();
        }
    }
}

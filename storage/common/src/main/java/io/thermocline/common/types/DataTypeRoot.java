package io.thermocline.common.types;

/** The kind of a {@link DataType}, without its parameters and nullability. */
public enum DataTypeRoot {
    BOOLEAN(true),
    TINYINT(true),
    SMALLINT(true),
    INTEGER(true),
    BIGINT(true),
    FLOAT(true),
    DOUBLE(true),
    DECIMAL(true),
    STRING(true),
    BYTES(true),
    DATE(true),
    TIME_WITHOUT_TIME_ZONE(true),
    TIMESTAMP_WITHOUT_TIME_ZONE(true),
    TIMESTAMP_WITH_LOCAL_TIME_ZONE(true),
    ARRAY(false),
    MAP(false),
    ROW(false);

    private final boolean primitive;

    DataTypeRoot(boolean primitive) {
        this.primitive = primitive;
    }

    /** Whether the type holds a single value (not a collection or a nested row). */
    public boolean isPrimitive() {
        return primitive;
    }
}

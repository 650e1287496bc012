package io.thermocline.common.types;

import java.util.List;
import java.util.Objects;

/** A map from keys of one type to values of another. */
public final class MapType extends DataType {
    private static final long serialVersionUID = 1L;

    private final DataType keyType;
    private final DataType valueType;

    public MapType(DataType keyType, DataType valueType, boolean nullable) {
        super(DataTypeRoot.MAP, nullable);
        this.keyType = Objects.requireNonNull(keyType, "keyType");
        this.valueType = Objects.requireNonNull(valueType, "valueType");
    }

    public DataType keyType() {
        return keyType;
    }

    public DataType valueType() {
        return valueType;
    }

    @Override
    public List<DataType> children() {
        return List.of(keyType, valueType);
    }

    @Override
    public DataType copy(boolean nullable) {
        return new MapType(keyType, valueType, nullable);
    }

    @Override
    public String asSummaryString() {
        return "MAP<" + keyType + ", " + valueType + ">";
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o)
                && keyType.equals(((MapType) o).keyType)
                && valueType.equals(((MapType) o).valueType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), keyType, valueType);
    }
}

package io.thermocline.common.types;

import java.util.List;
import java.util.Objects;

/** An array of elements of one type. */
public final class ArrayType extends DataType {
    private static final long serialVersionUID = 1L;

    private final DataType elementType;

    public ArrayType(DataType elementType, boolean nullable) {
        super(DataTypeRoot.ARRAY, nullable);
        this.elementType = Objects.requireNonNull(elementType, "elementType");
    }

    public DataType elementType() {
        return elementType;
    }

    @Override
    public List<DataType> children() {
        return List.of(elementType);
    }

    @Override
    public DataType copy(boolean nullable) {
        return new ArrayType(elementType, nullable);
    }

    @Override
    public String asSummaryString() {
        return "ARRAY<" + elementType + ">";
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && elementType.equals(((ArrayType) o).elementType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), elementType);
    }
}

package io.thermocline.common.internal.record;

/** The kind of change a row in a changelog stands for. */
public enum ChangeType {
    INSERT("+I", (byte) 0),
    UPDATE_BEFORE("-U", (byte) 1),
    UPDATE_AFTER("+U", (byte) 2),
    DELETE("-D", (byte) 3);

    private static final ChangeType[] BY_VALUE = values();

    private final String shortString;
    private final byte value;

    ChangeType(String shortString, byte value) {
        this.shortString = shortString;
        this.value = value;
    }

    public String shortString() {
        return shortString;
    }

    /** The byte that stands for this change in a batch. */
    public byte value() {
        return value;
    }

    public static boolean isValid(byte value) {
        return value >= 0 && value < BY_VALUE.length;
    }

    public static ChangeType fromValue(byte value) {
        if (!isValid(value)) {
            throw new IllegalArgumentException("Unknown change type byte " + value);
        }
        return BY_VALUE[value];
    }
}

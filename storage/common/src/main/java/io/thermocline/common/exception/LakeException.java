package io.thermocline.common.exception;

/**
 * The lake cannot do what a table needs: its catalog is unreachable, a column type has no Iceberg
 * counterpart, or the Iceberg table no longer looks like the one Thermocline created. The hot
 * tier is not affected.
 */
public class LakeException extends ApiException {
    private static final long serialVersionUID = 1L;

    public LakeException(String message) {
        super(message);
    }

    public LakeException(String message, Throwable cause) {
        super(message, cause);
    }
}

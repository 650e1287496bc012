package io.thermocline.common.exception;

/** No partition with those values exists in the table. Writers create missing partitions themselves unless client.writer.dynamic-partition-creation is off. */
public class PartitionNotExistException extends ApiException {
    private static final long serialVersionUID = 1L;

    public PartitionNotExistException(String message) {
        super(message);
    }
}

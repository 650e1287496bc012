package io.thermocline.rpc.protocol;

import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.AuthenticationException;
import io.thermocline.common.exception.AuthorizationException;
import io.thermocline.common.exception.CorruptRecordException;
import io.thermocline.common.exception.DatabaseAlreadyExistsException;
import io.thermocline.common.exception.DatabaseNotEmptyException;
import io.thermocline.common.exception.DatabaseNotExistException;
import io.thermocline.common.exception.DuplicateSequenceException;
import io.thermocline.common.exception.FencedLeaderEpochException;
import io.thermocline.common.exception.FencedTieringEpochException;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.exception.LeaderNotAvailableException;
import io.thermocline.common.exception.NetworkException;
import io.thermocline.common.exception.NotCoordinatorException;
import io.thermocline.common.exception.NotEnoughReplicasException;
import io.thermocline.common.exception.NotLeaderException;
import io.thermocline.common.exception.OffsetOutOfRangeException;
import io.thermocline.common.exception.OutOfOrderSequenceException;
import io.thermocline.common.exception.PartitionAlreadyExistsException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.exception.RecordBatchTooLargeException;
import io.thermocline.common.exception.RequestTimeoutException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.exception.StaleCoordinatorEpochException;
import io.thermocline.common.exception.StorageBusyException;
import io.thermocline.common.exception.TableAlreadyExistsException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.exception.TooManyPartitionsException;
import io.thermocline.common.exception.UnknownLeaderEpochException;
import io.thermocline.common.exception.UnknownServerException;
import io.thermocline.common.exception.UnsupportedSaslMechanismException;
import io.thermocline.common.exception.UnsupportedVersionException;

import java.util.function.Function;

/**
 * The wire codes of errors and the exceptions they stand for: the only place where one becomes
 * the other. Only the code and the message cross the wire, never a stack trace. Codes are never
 * reused; an error unknown to an older peer arrives as {@link UnknownServerException}.
 */
public enum Errors {
    NONE(0, null, null),
    UNKNOWN_SERVER_ERROR(1, UnknownServerException.class, UnknownServerException::new),
    NETWORK_EXCEPTION(2, NetworkException.class, NetworkException::new),
    REQUEST_TIMED_OUT(3, RequestTimeoutException.class, RequestTimeoutException::new),
    UNSUPPORTED_VERSION(4, UnsupportedVersionException.class, UnsupportedVersionException::new),
    INVALID_REQUEST(5, InvalidRequestException.class, InvalidRequestException::new),
    CORRUPT_RECORD(6, CorruptRecordException.class, CorruptRecordException::new),
    INVALID_RECORD(7, InvalidRecordException.class, InvalidRecordException::new),
    RECORD_BATCH_TOO_LARGE(8, RecordBatchTooLargeException.class, RecordBatchTooLargeException::new),
    OFFSET_OUT_OF_RANGE(9, OffsetOutOfRangeException.class, OffsetOutOfRangeException::new),
    SCHEMA_ERROR(10, SchemaException.class, SchemaException::new),
    INVALID_CONFIG(11, InvalidConfigException.class, InvalidConfigException::new),
    DATABASE_ALREADY_EXISTS(12, DatabaseAlreadyExistsException.class, DatabaseAlreadyExistsException::new),
    DATABASE_NOT_EXIST(13, DatabaseNotExistException.class, DatabaseNotExistException::new),
    DATABASE_NOT_EMPTY(14, DatabaseNotEmptyException.class, DatabaseNotEmptyException::new),
    TABLE_ALREADY_EXISTS(15, TableAlreadyExistsException.class, TableAlreadyExistsException::new),
    TABLE_NOT_EXIST(16, TableNotExistException.class, TableNotExistException::new),
    NOT_COORDINATOR(17, NotCoordinatorException.class, NotCoordinatorException::new),
    NOT_LEADER(18, NotLeaderException.class, NotLeaderException::new),
    PARTITION_NOT_EXIST(19, PartitionNotExistException.class, PartitionNotExistException::new),
    PARTITION_ALREADY_EXISTS(20, PartitionAlreadyExistsException.class, PartitionAlreadyExistsException::new),
    TOO_MANY_PARTITIONS(21, TooManyPartitionsException.class, TooManyPartitionsException::new),
    NOT_ENOUGH_REPLICAS(22, NotEnoughReplicasException.class, NotEnoughReplicasException::new),
    FENCED_LEADER_EPOCH(23, FencedLeaderEpochException.class, FencedLeaderEpochException::new),
    UNKNOWN_LEADER_EPOCH(24, UnknownLeaderEpochException.class, UnknownLeaderEpochException::new),
    STALE_COORDINATOR_EPOCH(25, StaleCoordinatorEpochException.class, StaleCoordinatorEpochException::new),
    OUT_OF_ORDER_SEQUENCE(26, OutOfOrderSequenceException.class, OutOfOrderSequenceException::new),
    LEADER_NOT_AVAILABLE(27, LeaderNotAvailableException.class, LeaderNotAvailableException::new),
    STORAGE_BUSY(28, StorageBusyException.class, StorageBusyException::new),
    LAKE_ERROR(29, LakeException.class, LakeException::new),
    FENCED_TIERING_EPOCH(30, FencedTieringEpochException.class, FencedTieringEpochException::new),
    DUPLICATE_SEQUENCE(31, DuplicateSequenceException.class, DuplicateSequenceException::new),
    AUTHENTICATION_FAILED(32, AuthenticationException.class, AuthenticationException::new),
    UNSUPPORTED_SASL_MECHANISM(33, UnsupportedSaslMechanismException.class, UnsupportedSaslMechanismException::new),
    AUTHORIZATION_FAILED(34, AuthorizationException.class, AuthorizationException::new);

    private static final Errors[] BY_CODE = new Errors[128];

    static {
        for (Errors error : values()) {
            BY_CODE[error.code] = error;
        }
    }

    private final short code;
    private final Class<? extends ApiException> exceptionClass;
    private final Function<String, ApiException> factory;

    Errors(int code, Class<? extends ApiException> exceptionClass, Function<String, ApiException> factory) {
        this.code = (short) code;
        this.exceptionClass = exceptionClass;
        this.factory = factory;
    }

    public short code() {
        return code;
    }

    /** The exception for a received error; null for {@link #NONE}. */
    public ApiException exception(String message) {
        return factory == null ? null : factory.apply(message);
    }

    public static Errors forCode(short code) {
        Errors error = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return error == null ? UNKNOWN_SERVER_ERROR : error;
    }

    /** The code for an exception: its own class or its nearest mapped superclass. */
    public static Errors forException(Throwable t) {
        for (Class<?> c = t.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Errors error : values()) {
                if (error.exceptionClass == c) {
                    return error;
                }
            }
        }
        return UNKNOWN_SERVER_ERROR;
    }
}

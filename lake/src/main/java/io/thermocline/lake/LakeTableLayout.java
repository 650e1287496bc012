package io.thermocline.lake;

import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.TimestampType;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a Thermocline table looks in Iceberg: its columns with their Iceberg types followed by the
 * system columns, its primary key as identifier fields, and a partition spec aligned with the hot
 * tier so that hot bucket b is lake bucket b: one bucket column gives {@code bucket[N]} of it
 * (the hot tier hashes exactly as that transform does), several give {@code identity(__bucket)}.
 *
 * @param bucketKeys the columns rows are hashed by; empty when rows are spread without a key
 */
public record LakeTableLayout(TablePath path, long tableId, Schema schema, List<String> partitionKeys,
        List<String> bucketKeys, int buckets) {

    public static final String BUCKET_COLUMN = "__bucket";
    public static final String OFFSET_COLUMN = "__offset";
    public static final String TIMESTAMP_COLUMN = "__timestamp";
    private static final Set<String> SYSTEM_COLUMNS = Set.of(BUCKET_COLUMN, OFFSET_COLUMN, TIMESTAMP_COLUMN);

    /** The Iceberg schema; a column type Iceberg cannot hold is a {@link LakeException} naming it. */
    public org.apache.iceberg.Schema icebergSchema() {
        List<Types.NestedField> fields = new ArrayList<>();
        Set<Integer> identifiers = new HashSet<>();
        int id = 1;
        for (DataField column : schema.columns()) {
            if (SYSTEM_COLUMNS.contains(column.name())) {
                throw new LakeException("Table " + path + ": column `" + column.name() + "` has the name of a lake system"
                        + " column " + SYSTEM_COLUMNS + "; rename it to enable the lake");
            }
            Type type = icebergType(column);
            fields.add(column.type().isNullable() ? Types.NestedField.optional(id, column.name(), type, column.description())
                    : Types.NestedField.required(id, column.name(), type, column.description()));
            if (schema.primaryKey().contains(column.name())) {
                identifiers.add(id);
            }
            id++;
        }
        fields.add(Types.NestedField.required(id++, BUCKET_COLUMN, Types.IntegerType.get(), "hot-tier bucket"));
        fields.add(Types.NestedField.required(id++, OFFSET_COLUMN, Types.LongType.get(), "offset in the bucket's log"));
        fields.add(Types.NestedField.required(id, TIMESTAMP_COLUMN, Types.TimestampType.withZone(),
                "commit time in the hot tier"));
        return new org.apache.iceberg.Schema(fields, identifiers);
    }

    /** Partition columns by identity, then the bucket: {@code bucket[N]} of a single bucket column, else {@code __bucket}. */
    public PartitionSpec partitionSpec(org.apache.iceberg.Schema icebergSchema) {
        PartitionSpec.Builder spec = PartitionSpec.builderFor(icebergSchema);
        partitionKeys.forEach(spec::identity);
        if (hashesLikeIceberg()) {
            spec.bucket(bucketKeys.get(0), buckets);
        } else {
            spec.identity(BUCKET_COLUMN);
        }
        return spec.build();
    }

    /** Whether rows are hashed by one column whose type Iceberg's bucket transform accepts. */
    public boolean hashesLikeIceberg() {
        if (bucketKeys.size() != 1) {
            return false;
        }
        switch (schema.rowType().typeAt(schema.columnIndex(bucketKeys.get(0))).root()) {
            case BOOLEAN:
            case FLOAT:
            case DOUBLE:
                return false;
            default:
                return true;
        }
    }

    private Type icebergType(DataField column) {
        DataType type = column.type();
        switch (type.root()) {
            case BOOLEAN:
                return Types.BooleanType.get();
            case TINYINT:
            case SMALLINT:
            case INTEGER:
                return Types.IntegerType.get();
            case BIGINT:
                return Types.LongType.get();
            case FLOAT:
                return Types.FloatType.get();
            case DOUBLE:
                return Types.DoubleType.get();
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return Types.DecimalType.of(decimal.precision(), decimal.scale());
            case STRING:
                return Types.StringType.get();
            case BYTES:
                return Types.BinaryType.get();
            case DATE:
                return Types.DateType.get();
            case TIME_WITHOUT_TIME_ZONE:
                return Types.TimeType.get();
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                TimestampType timestamp = (TimestampType) type;
                if (timestamp.precision() > 6) {
                    throw new LakeException("Table " + path + ": column `" + column.name() + "` is " + type
                            + "; Iceberg format v2 holds timestamps to the microsecond, so precision must be at most 6"
                            + " to enable the lake");
                }
                return timestamp.isLocalZoned() ? Types.TimestampType.withZone() : Types.TimestampType.withoutZone();
            default:
                throw new LakeException("Table " + path + ": column `" + column.name() + "` is of type " + type
                        + ", which the lake does not hold yet; only primitive types can be tiered");
        }
    }
}

package io.thermocline.client.api;

import io.thermocline.common.schema.Schema;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a new table should look like. Immutable; build with {@link #builder(Schema)}. */
public final class TableDescriptor {
    private final Schema schema;
    private final int bucketCount;
    private final List<String> bucketKeys;
    private final List<String> partitionKeys;
    private final Map<String, String> options;
    private final String comment;
    private final int replicationFactor;

    private TableDescriptor(Builder b) {
        this.schema = b.schema;
        this.bucketCount = b.bucketCount;
        this.bucketKeys = List.copyOf(b.bucketKeys);
        this.partitionKeys = List.copyOf(b.partitionKeys);
        this.options = Map.copyOf(b.options);
        this.comment = b.comment;
        this.replicationFactor = b.replicationFactor;
    }

    public static Builder builder(Schema schema) {
        return new Builder(schema);
    }

    public Schema schema() {
        return schema;
    }

    /** 0 means the cluster default. */
    public int bucketCount() {
        return bucketCount;
    }

    /** Columns whose hash picks a row's bucket; empty means the primary key, or none for log tables. */
    public List<String> bucketKeys() {
        return bucketKeys;
    }

    /** Columns whose values name a row's partition; empty for a table without partitions. */
    public List<String> partitionKeys() {
        return partitionKeys;
    }

    public Map<String, String> options() {
        return options;
    }

    public String comment() {
        return comment;
    }

    /** 0 means the cluster default. */
    public int replicationFactor() {
        return replicationFactor;
    }

    /** Builds a {@link TableDescriptor}. */
    public static final class Builder {
        private final Schema schema;
        private int bucketCount;
        private List<String> bucketKeys = List.of();
        private List<String> partitionKeys = List.of();
        private Map<String, String> options = Map.of();
        private String comment;
        private int replicationFactor;

        private Builder(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        public Builder buckets(int count, String... keys) {
            this.bucketCount = count;
            this.bucketKeys = List.of(keys);
            return this;
        }

        /**
         * Partitions the table by these columns (of primitive types; for primary-key tables, part
         * of the key). Each partition has its own buckets and can be dropped with its data.
         */
        public Builder partitionedBy(String... keys) {
            this.partitionKeys = List.of(keys);
            return this;
        }

        public Builder options(Map<String, String> value) {
            this.options = value;
            return this;
        }

        public Builder comment(String value) {
            this.comment = value;
            return this;
        }

        public Builder replicationFactor(int value) {
            this.replicationFactor = value;
            return this;
        }

        public TableDescriptor build() {
            return new TableDescriptor(this);
        }
    }
}

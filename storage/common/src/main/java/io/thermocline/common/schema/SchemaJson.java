package io.thermocline.common.schema;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.types.ArrayType;
import io.thermocline.common.types.AtomicType;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.DataTypeRoot;
import io.thermocline.common.types.DecimalType;
import io.thermocline.common.types.MapType;
import io.thermocline.common.types.RowType;
import io.thermocline.common.types.TimestampType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of schemas and types, as stored in ZooKeeper and sent to clients. Versioned by a
 * {@code version} field; readers refuse versions they do not know.
 *
 * <pre>
 * {"version":1,"schemaId":2,"primaryKey":["id"],"columns":[
 *   {"name":"id","type":{"root":"BIGINT","nullable":false}},
 *   {"name":"price","type":{"root":"DECIMAL","precision":10,"scale":2,"nullable":true},"comment":"..."}]}
 * </pre>
 */
public final class SchemaJson {
    private static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaJson() {}

    public static String toJson(Schema schema) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("version", VERSION);
        node.put("schemaId", schema.schemaId());
        ArrayNode columns = node.putArray("columns");
        for (DataField field : schema.columns()) {
            columns.add(field(field));
        }
        ArrayNode key = node.putArray("primaryKey");
        schema.primaryKey().forEach(key::add);
        return node.toString();
    }

    public static Schema fromJson(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SchemaException("Schema JSON is malformed: " + e.getOriginalMessage());
        }
        int version = node.path("version").asInt(-1);
        if (version != VERSION) {
            throw new SchemaException("Schema JSON version " + version + " is not supported (this build reads " + VERSION + ")");
        }
        List<DataField> columns = new ArrayList<>();
        for (JsonNode column : node.path("columns")) {
            columns.add(readField(column));
        }
        List<String> key = new ArrayList<>();
        node.path("primaryKey").forEach(k -> key.add(k.asText()));
        return Schema.builder().fromFields(columns).primaryKey(key).schemaId(node.path("schemaId").asInt()).build();
    }

    public static String typeToJson(DataType type) {
        return type(type).toString();
    }

    public static DataType typeFromJson(String json) {
        try {
            return readType(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new SchemaException("Type JSON is malformed: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode field(DataField field) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", field.name());
        node.set("type", type(field.type()));
        if (field.description() != null) {
            node.put("comment", field.description());
        }
        return node;
    }

    private static ObjectNode type(DataType type) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("root", type.root().name());
        if (type instanceof DecimalType) {
            node.put("precision", ((DecimalType) type).precision());
            node.put("scale", ((DecimalType) type).scale());
        } else if (type instanceof TimestampType) {
            node.put("precision", ((TimestampType) type).precision());
        } else if (type instanceof ArrayType) {
            node.set("element", type(((ArrayType) type).elementType()));
        } else if (type instanceof MapType) {
            node.set("key", type(((MapType) type).keyType()));
            node.set("value", type(((MapType) type).valueType()));
        } else if (type instanceof RowType) {
            ArrayNode fields = node.putArray("fields");
            ((RowType) type).fields().forEach(f -> fields.add(field(f)));
        }
        node.put("nullable", type.isNullable());
        return node;
    }

    private static DataField readField(JsonNode node) {
        JsonNode comment = node.get("comment");
        return new DataField(node.path("name").asText(), readType(node.path("type")),
                comment == null ? null : comment.asText());
    }

    private static DataType readType(JsonNode node) {
        DataTypeRoot root;
        try {
            root = DataTypeRoot.valueOf(node.path("root").asText());
        } catch (IllegalArgumentException e) {
            throw new SchemaException("Unknown type root '" + node.path("root").asText() + "' in schema JSON");
        }
        boolean nullable = node.path("nullable").asBoolean(true);
        switch (root) {
            case DECIMAL:
                return new DecimalType(node.path("precision").asInt(), node.path("scale").asInt(), nullable);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return new TimestampType(root == DataTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
                        node.path("precision").asInt(), nullable);
            case ARRAY:
                return new ArrayType(readType(node.path("element")), nullable);
            case MAP:
                return new MapType(readType(node.path("key")), readType(node.path("value")), nullable);
            case ROW:
                List<DataField> fields = new ArrayList<>();
                node.path("fields").forEach(f -> fields.add(readField(f)));
                return new RowType(fields, nullable);
            default:
                return new AtomicType(root, nullable);
        }
    }
}

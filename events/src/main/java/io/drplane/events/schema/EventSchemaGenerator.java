package io.drplane.events.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drplane.events.EventType;
import io.drplane.events.codec.EventCodec;
import jakarta.annotation.Nullable;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Derives the JSON Schema (draft 2020-12) of each event type from its record, so that the published schema
 * and the code cannot drift apart. The schema describes the whole structured CloudEvent; the payload is under
 * {@code properties.data}, nested records under {@code $defs}. Components marked {@link Nullable} are optional;
 * every other one is required. Unknown properties are allowed, as readers ignore them.
 */
public final class EventSchemaGenerator {

    public static final String SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";
    public static final String ID_BASE = "https://drplane.io/schemas/events/";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public ObjectNode generate(EventType type) {
        ObjectNode root = JSON.objectNode();
        root.put("$schema", SCHEMA_DIALECT);
        root.put("$id", ID_BASE + fileName(type));
        root.put("title", type.typeName());
        root.put(
                "description",
                "A drplane " + type.shortName() + " event: CloudEvents 1.0 structured JSON mode (content-type "
                        + EventCodec.CONTENT_TYPE + ").");
        root.put("type", "object");
        ArrayNode required = root.putArray("required");
        List.of("specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data")
                .forEach(required::add);
        ObjectNode properties = root.putObject("properties");
        properties.putObject("specversion").put("const", "1.0");
        properties.putObject("id").put("type", "string").put("minLength", 1);
        properties
                .putObject("source")
                .put("type", "string")
                .put("format", "uri-reference")
                .put("minLength", 1);
        properties.putObject("type").put("const", type.typeName());
        properties
                .putObject("subject")
                .put("type", "string")
                .put("minLength", 1)
                .put("description", subjectDescription(type));
        properties.putObject("time").put("type", "string").put("format", "date-time");
        properties.putObject("datacontenttype").put("const", EventCodec.DATA_CONTENT_TYPE);
        Map<String, JsonNode> defs = new TreeMap<>();
        properties.set("data", recordSchema(type.dataClass(), defs));
        if (!defs.isEmpty()) {
            ObjectNode defsNode = root.putObject("$defs");
            defs.forEach(defsNode::set);
        }
        return root;
    }

    public static String fileName(EventType type) {
        return type.typeName() + ".json";
    }

    private static String subjectDescription(EventType type) {
        return type == EventType.COORDINATOR_TICKED
                ? "partition-<n>: the coordinator input partition the tick belongs to"
                : "the failover group's id; also the Kafka record key";
    }

    private ObjectNode recordSchema(Class<?> recordClass, Map<String, JsonNode> defs) {
        ObjectNode schema = JSON.objectNode();
        schema.put("type", "object");
        ArrayNode required = schema.putArray("required");
        ObjectNode properties = schema.putObject("properties");
        for (RecordComponent component : recordClass.getRecordComponents()) {
            properties.set(component.getName(), typeSchema(component.getGenericType(), defs));
            if (!component.isAnnotationPresent(Nullable.class)) {
                required.add(component.getName());
            }
        }
        return schema;
    }

    private JsonNode typeSchema(Type type, Map<String, JsonNode> defs) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                ObjectNode array = JSON.objectNode().put("type", "array");
                array.set("items", typeSchema(args[0], defs));
                return array;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode map = JSON.objectNode().put("type", "object");
                map.set("additionalProperties", typeSchema(args[1], defs));
                return map;
            }
            throw new IllegalArgumentException("no schema mapping for " + type);
        }
        Class<?> cls = (Class<?>) type;
        if (cls == String.class) {
            return JSON.objectNode().put("type", "string");
        }
        if (cls == Instant.class) {
            return JSON.objectNode().put("type", "string").put("format", "date-time");
        }
        if (cls == int.class || cls == Integer.class || cls == long.class || cls == Long.class) {
            return JSON.objectNode().put("type", "integer");
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return JSON.objectNode().put("type", "boolean");
        }
        if (cls == EventType.class) {
            ObjectNode node = JSON.objectNode().put("type", "string");
            ArrayNode values = node.putArray("enum");
            Arrays.stream(EventType.values()).map(EventType::typeName).forEach(values::add);
            return node;
        }
        if (cls.isEnum()) {
            ObjectNode node = JSON.objectNode().put("type", "string");
            ArrayNode values = node.putArray("enum");
            Arrays.stream(cls.getEnumConstants()).map(c -> ((Enum<?>) c).name()).forEach(values::add);
            return node;
        }
        if (cls.isRecord()) {
            String name = cls.getSimpleName();
            if (!defs.containsKey(name)) {
                defs.put(name, JSON.nullNode()); // placeholder: guards against recursion
                defs.put(name, recordSchema(cls, defs));
            }
            return JSON.objectNode().put("$ref", "#/$defs/" + name);
        }
        throw new IllegalArgumentException("no schema mapping for " + cls.getName());
    }
}

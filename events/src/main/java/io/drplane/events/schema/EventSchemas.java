package io.drplane.events.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.drplane.events.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The JSON Schemas of the event types, as shipped in this jar under {@value #RESOURCE_DIR}: one file per type,
 * describing the whole CloudEvent. Readers validate each payload against its type's {@code data} schema.
 */
public final class EventSchemas {

    public static final String RESOURCE_DIR = "/io/drplane/events/schemas/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final Map<EventType, JsonSchema> envelopeSchemas = new EnumMap<>(EventType.class);
    private final Map<EventType, JsonSchema> dataSchemas = new EnumMap<>(EventType.class);

    private EventSchemas(Function<EventType, JsonNode> source) {
        for (EventType type : EventType.values()) {
            JsonNode document = source.apply(type);
            envelopeSchemas.put(type, FACTORY.getSchema(document, CONFIG));
            dataSchemas.put(type, FACTORY.getSchema(dataSchemaOf(document), CONFIG));
        }
    }

    /** The schemas shipped in the jar; fails naming the missing file if one is absent. */
    public static EventSchemas shipped() {
        return new EventSchemas(EventSchemas::readShipped);
    }

    /** Schemas generated from the records now, for comparing with what is shipped. */
    public static EventSchemas generated() {
        EventSchemaGenerator generator = new EventSchemaGenerator();
        return new EventSchemas(generator::generate);
    }

    public static JsonNode readShipped(EventType type) {
        String path = RESOURCE_DIR + EventSchemaGenerator.fileName(type);
        try (InputStream in = EventSchemas.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema " + path + " is missing from the classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + path, e);
        }
    }

    /** Violations of the payload against its type's schema; empty when it is valid. */
    public List<String> validateData(EventType type, JsonNode data) {
        return messages(dataSchemas.get(type).validate(data));
    }

    /** Violations of a whole structured CloudEvent against its type's schema. */
    public List<String> validateEnvelope(EventType type, JsonNode cloudEvent) {
        return messages(envelopeSchemas.get(type).validate(cloudEvent));
    }

    private static List<String> messages(Set<ValidationMessage> messages) {
        if (messages.isEmpty()) {
            return List.of(); // a valid event, nearly always: no stream to build for each input
        }
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** The {@code data} subschema as a standalone schema that keeps the document's {@code $defs}. */
    private static JsonNode dataSchemaOf(JsonNode document) {
        ObjectNode data = ((ObjectNode) document.at("/properties/data")).deepCopy();
        data.put("$schema", EventSchemaGenerator.SCHEMA_DIALECT);
        if (document.has("$defs")) {
            data.set("$defs", document.get("$defs").deepCopy());
        }
        return data;
    }
}

package io.drplane.events.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.EventType;
import io.drplane.events.schema.EventSchemas;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Turns events into CloudEvents 1.0 structured JSON ({@code application/cloudevents+json}) and back.
 * Reading checks the envelope, looks the type up in {@link EventType}, validates the payload against the
 * type's published JSON Schema (so a missing required field is an error, an unknown one is not) and binds it.
 */
public final class EventCodec {

    /** The Kafka {@code content-type} header value of structured-mode CloudEvents. */
    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;
    public static final String DATA_CONTENT_TYPE = "application/json";

    private static final EventFormat FORMAT = new JsonFormat();
    private static final EventCodec INSTANCE = new EventCodec(EventSchemas.shipped());

    private final ObjectMapper mapper = EventJson.mapper();
    private final EventSchemas schemas;

    public EventCodec(EventSchemas schemas) {
        this.schemas = schemas;
    }

    /** The codec that validates against the schemas shipped in this jar. */
    public static EventCodec instance() {
        return INSTANCE;
    }

    public byte[] encode(Event<?> event) {
        CloudEvent cloudEvent = CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(event.source())
                .withType(event.type().typeName())
                .withSubject(event.subject())
                .withTime(event.time().atOffset(ZoneOffset.UTC))
                .withDataContentType(DATA_CONTENT_TYPE)
                .withData(JsonCloudEventData.wrap(mapper.valueToTree(event.data())))
                .build();
        return FORMAT.serialize(cloudEvent);
    }

    public Event<?> decode(byte[] value) throws EventDecodingException {
        if (value == null) {
            throw new EventDecodingException("record value is null (a tombstone), not a CloudEvent");
        }
        CloudEvent cloudEvent;
        try {
            cloudEvent = FORMAT.deserialize(value);
        } catch (RuntimeException e) { // the SDK throws EventDeserializationException, CloudEventRWException and more
            throw new EventDecodingException("not a CloudEvents 1.0 structured JSON event: " + rootMessage(e), e);
        }
        EventType type = EventType.fromTypeName(cloudEvent.getType()).orElseThrow(() -> new EventDecodingException(
                "unknown event type '" + cloudEvent.getType() + "'; this reader knows " + EventType.values().length
                        + " types named io.drplane.<domain>.<what>.v1"));
        if (cloudEvent.getSubject() == null || cloudEvent.getSubject().isBlank()) {
            throw new EventDecodingException("event " + cloudEvent.getId() + " of type " + type.typeName()
                    + " has no subject (the failover group)");
        }
        if (cloudEvent.getTime() == null) {
            throw new EventDecodingException("event " + cloudEvent.getId() + " of type " + type.typeName() + " has no time");
        }
        JsonNode dataNode = dataNode(cloudEvent, type);
        List<String> violations = schemas.validateData(type, dataNode);
        if (!violations.isEmpty()) {
            throw new EventDecodingException("event " + cloudEvent.getId() + " of type " + type.typeName()
                    + " does not match its schema: " + String.join("; ", violations));
        }
        EventData data;
        try {
            data = mapper.treeToValue(dataNode, type.dataClass());
        } catch (IOException | IllegalArgumentException e) {
            throw new EventDecodingException("event " + cloudEvent.getId() + " of type " + type.typeName()
                    + " has data that cannot be read: " + rootMessage(e), e);
        }
        if (!data.subject().equals(cloudEvent.getSubject())) {
            throw new EventDecodingException("event " + cloudEvent.getId() + " has subject '" + cloudEvent.getSubject()
                    + "' but its data is about '" + data.subject() + "'");
        }
        return new Event<>(cloudEvent.getId(), cloudEvent.getSource(), cloudEvent.getTime().toInstant(), data);
    }

    private JsonNode dataNode(CloudEvent cloudEvent, EventType type) throws EventDecodingException {
        CloudEventData data = cloudEvent.getData();
        if (data == null) {
            throw new EventDecodingException("event " + cloudEvent.getId() + " of type " + type.typeName() + " has no data");
        }
        if (data instanceof JsonCloudEventData json) {
            return json.getNode();
        }
        try {
            return mapper.readTree(data.toBytes());
        } catch (IOException e) {
            throw new EventDecodingException("event " + cloudEvent.getId() + " has data that is not JSON: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // Parser messages can quote kilobytes of input; an error header should stay readable.
        return message.length() > 500 ? message.substring(0, 500) + "..." : message;
    }
}

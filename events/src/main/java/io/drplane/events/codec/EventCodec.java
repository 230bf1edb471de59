package io.drplane.events.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.cloudevents.jackson.JsonFormat;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.EventType;
import io.drplane.events.schema.EventSchemas;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns events into CloudEvents 1.0 structured JSON ({@code application/cloudevents+json}) and back.
 * Reading checks the envelope, looks the type up in {@link EventType}, validates the payload against the
 * type's published JSON Schema (so a missing required field is an error, an unknown one is not) and binds it.
 */
public final class EventCodec {

    /** The Kafka {@code content-type} header value of structured-mode CloudEvents. */
    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;

    public static final String DATA_CONTENT_TYPE = "application/json";
    private static final String SPEC_VERSION = "1.0";
    private static final Pattern JSON_CONTENT_TYPE = Pattern.compile("^(application|text)/([a-zA-Z]+\\+)?json(;.*)*$");

    private static final EventCodec INSTANCE = new EventCodec(EventSchemas.shipped());

    private final ObjectMapper mapper = EventJson.mapper();
    private final ObjectWriter dataWriter = mapper.writer();
    private final EventSchemas schemas;
    private final SinglePassReader singlePass = new SinglePassReader(mapper.getFactory());

    /**
     * Private, and only ever given the shipped schemas: the single-pass reader checks what the records say, and a test
     * holds the shipped schemas to what the records generate. A codec given other schemas could disagree with it.
     */
    private EventCodec(EventSchemas schemas) {
        this.schemas = schemas;
    }

    /** The codec that validates against the schemas shipped in this jar. */
    public static EventCodec instance() {
        return INSTANCE;
    }

    /**
     * Writes a structured CloudEvent, the attributes in the order the SDK's writer uses and the time with millis, as every
     * time in drplane's events. Written here rather than by the SDK for the same reason as {@link #decode}: the SDK built
     * the payload as a tree, then an event, then wrote both, and every producer (the health monitor at its probe rate, the
     * coordinator for each decision) paid for it. The tests hold the SDK's reader to reading back what this writes.
     */
    public byte[] encode(Event<?> event) {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("specversion", SPEC_VERSION);
            json.writeStringField("id", event.id());
            json.writeStringField("source", event.source().toString());
            json.writeStringField("type", event.type().typeName());
            json.writeStringField("datacontenttype", DATA_CONTENT_TYPE);
            json.writeStringField("subject", event.subject());
            json.writeStringField("time", EventJson.formatMillis(event.time()));
            json.writeFieldName("data");
            dataWriter.writeValue(json, event.data());
            json.writeEndObject();
        } catch (IOException e) {
            // Writing into memory fails only on a value Jackson cannot serialize: a programming error, not bad input.
            throw new IllegalStateException(
                    "cannot write event " + event.id() + " of type "
                            + event.type().typeName(),
                    e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a structured CloudEvent. The envelope is read here rather than by the SDK: every service decodes every
     * input, and the SDK's reader (a tree of the whole event, then the time through the general formatter) was most of
     * the coordinator's cost per input. What it accepts is what the SDK accepts for specversion 1.0 with JSON data, and
     * the tests hold the two readers to the same answers.
     * <p>
     * An event drplane wrote is read in one pass ({@link SinglePassReader}); anything that reader does not vouch for,
     * which includes every invalid event, is read here the general way: a tree, the schema, then the binding.
     */
    public Event<?> decode(byte[] value) throws EventDecodingException {
        if (value != null) {
            Event<?> event = singlePass.read(value);
            if (event != null) {
                return event;
            }
        }
        return decodeGenerally(value);
    }

    /** The general reader alone: what {@link #decode} answers for anything the single-pass reader does not vouch for. */
    Event<?> decodeGenerally(byte[] value) throws EventDecodingException {
        if (value == null) {
            throw new EventDecodingException("record value is null (a tombstone), not a CloudEvent");
        }
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (IOException e) {
            throw notACloudEvent(rootMessage(e), e);
        }
        if (root == null || !root.isObject()) {
            throw notACloudEvent(
                    "expected a JSON object, got "
                            + (root == null
                                    ? "nothing"
                                    : root.getNodeType().toString().toLowerCase(Locale.ROOT)),
                    null);
        }
        String specVersion = attribute(root, "specversion");
        if (!SPEC_VERSION.equals(specVersion)) {
            throw notACloudEvent("specversion is '" + specVersion + "', expected '" + SPEC_VERSION + "'", null);
        }
        String id = attribute(root, "id");
        URI source = source(attribute(root, "source"));
        String typeName = attribute(root, "type");
        EventType type = EventType.fromTypeName(typeName)
                .orElseThrow(
                        () -> new EventDecodingException("unknown event type '" + typeName + "'; this reader knows "
                                + EventType.values().length + " types named io.drplane.<domain>.<what>.v1"));
        String subject = optionalAttribute(root, "subject");
        if (subject == null || subject.isBlank()) {
            throw new EventDecodingException(
                    "event " + id + " of type " + type.typeName() + " has no subject (the failover group)");
        }
        String time = optionalAttribute(root, "time");
        if (time == null) {
            throw new EventDecodingException("event " + id + " of type " + type.typeName() + " has no time");
        }
        Instant eventTime = time(time);
        JsonNode dataNode = dataNode(root, id, type);
        List<String> violations = schemas.validateData(type, dataNode);
        if (!violations.isEmpty()) {
            throw new EventDecodingException("event " + id + " of type " + type.typeName()
                    + " does not match its schema: " + String.join("; ", violations));
        }
        EventData data;
        try {
            data = mapper.treeToValue(dataNode, type.dataClass());
        } catch (IOException | IllegalArgumentException e) {
            throw new EventDecodingException(
                    "event " + id + " of type " + type.typeName() + " has data that cannot be read: " + rootMessage(e),
                    e);
        }
        if (!data.subject().equals(subject)) {
            throw new EventDecodingException(
                    "event " + id + " has subject '" + subject + "' but its data is about '" + data.subject() + "'");
        }
        return new Event<>(id, source, eventTime, data);
    }

    /** A required context attribute: present, a string, not empty. */
    private static String attribute(JsonNode root, String name) throws EventDecodingException {
        String value = optionalAttribute(root, name);
        if (value == null || value.isEmpty()) {
            throw notACloudEvent("the required attribute '" + name + "' is missing", null);
        }
        return value;
    }

    private static String optionalAttribute(JsonNode root, String name) throws EventDecodingException {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw notACloudEvent(
                    "the attribute '" + name + "' is a "
                            + node.getNodeType().toString().toLowerCase(Locale.ROOT) + ", not a string",
                    null);
        }
        return node.textValue();
    }

    private static URI source(String source) throws EventDecodingException {
        try {
            return new URI(source);
        } catch (URISyntaxException e) {
            throw notACloudEvent("source '" + source + "' is not a URI-reference: " + e.getMessage(), e);
        }
    }

    /** RFC 3339; the shape drplane writes is read by hand, any other through the formatter. */
    private static Instant time(String time) throws EventDecodingException {
        Instant parsed = EventJson.parseUtc(time);
        if (parsed != null) {
            return parsed;
        }
        try {
            return OffsetDateTime.parse(time, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw notACloudEvent("time '" + time + "' is not an RFC 3339 timestamp", e);
        }
    }

    /** The payload: JSON under {@code data}, or base64-encoded JSON under {@code data_base64}. */
    private JsonNode dataNode(JsonNode root, String id, EventType type) throws EventDecodingException {
        String contentType = optionalAttribute(root, "datacontenttype");
        if (contentType != null && !isJson(contentType)) {
            throw new EventDecodingException("event " + id + " of type " + type.typeName()
                    + " has data of content type '" + contentType + "'; drplane events carry " + DATA_CONTENT_TYPE);
        }
        JsonNode data = root.get("data");
        JsonNode base64 = root.get("data_base64");
        if (data != null && base64 != null) {
            throw notACloudEvent("both data and data_base64 are present", null);
        }
        if (base64 != null && !base64.isNull()) {
            try {
                return mapper.readTree(Base64.getDecoder().decode(base64.asText()));
            } catch (IOException | IllegalArgumentException e) {
                throw new EventDecodingException(
                        "event " + id + " has data_base64 that is not base64 of JSON: " + rootMessage(e), e);
            }
        }
        if (data == null || data.isNull()) {
            throw new EventDecodingException("event " + id + " of type " + type.typeName() + " has no data");
        }
        return data;
    }

    /** JSON data as the CloudEvents SDK recognises it: {@code application/json}, {@code text/json}, {@code application/ld+json}... */
    static boolean isJson(String contentType) {
        return contentType.equals(DATA_CONTENT_TYPE)
                || JSON_CONTENT_TYPE.matcher(contentType).matches(); // the first, nearly always
    }

    private static EventDecodingException notACloudEvent(String why, Throwable cause) {
        return new EventDecodingException("not a CloudEvents 1.0 structured JSON event: " + why, cause);
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

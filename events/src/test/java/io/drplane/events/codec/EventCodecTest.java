package io.drplane.events.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import io.drplane.events.Event;
import io.drplane.events.EventType;
import io.drplane.events.HealthObserved;
import io.drplane.events.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventCodecTest {

    private final EventCodec codec = EventCodec.instance();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldRoundTripEveryEventType(EventType type) throws Exception {
        Event<?> event = SampleEvents.event(type);

        Event<?> decoded = codec.decode(codec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.type()).isEqualTo(type);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldWriteWhatTheSdkWritesAndReads(EventType type) throws Exception {
        Event<?> event = SampleEvents.event(type);
        byte[] ours = codec.encode(event);

        CloudEvent read = new JsonFormat().deserialize(ours);
        assertThat(read.getId()).isEqualTo(event.id());
        assertThat(read.getSource()).isEqualTo(event.source());
        assertThat(read.getType()).isEqualTo(type.typeName());
        assertThat(read.getSubject()).isEqualTo(event.subject());
        assertThat(read.getTime().toInstant()).isEqualTo(event.time());
        assertThat(read.getDataContentType()).isEqualTo(EventCodec.DATA_CONTENT_TYPE);
        assertThat(EventJson.mapper().readTree(read.getData().toBytes()))
                .isEqualTo(EventJson.mapper().readTree(EventJson.mapper().writeValueAsBytes(event.data())));

        // The SDK's own writer, given the same event: the same attributes in the same order, the time apart (the SDK
        // leaves out trailing zeros of the fraction; drplane writes millis, as in every time of its events).
        CloudEvent built = CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(event.source())
                .withType(type.typeName())
                .withSubject(event.subject())
                .withTime(event.time().atOffset(ZoneOffset.UTC))
                .withDataContentType(EventCodec.DATA_CONTENT_TYPE)
                .withData(JsonCloudEventData.wrap(EventJson.mapper().valueToTree(event.data())))
                .build();
        ObjectNode sdk = (ObjectNode) EventJson.mapper().readTree(new JsonFormat().serialize(built));
        ObjectNode mine = (ObjectNode) EventJson.mapper().readTree(ours);
        assertThat(Instant.parse(mine.remove("time").asText()))
                .isEqualTo(Instant.parse(sdk.remove("time").asText()));
        assertThat(mine).isEqualTo(sdk);
        assertThat(fieldNames(mine)).isEqualTo(fieldNames(sdk));
    }

    /** An object's field names in the order they were written. */
    private static List<String> fieldNames(ObjectNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void shouldWriteStructuredCloudEventWithMillisecondTimes() throws Exception {
        byte[] bytes = codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED));
        JsonNode json = EventJson.mapper().readTree(bytes);

        assertThat(json.get("specversion").asText()).isEqualTo("1.0");
        assertThat(json.get("type").asText()).isEqualTo("io.drplane.health.observed.v1");
        assertThat(json.get("subject").asText()).isEqualTo("shop");
        assertThat(json.get("source").asText()).isEqualTo("/drplane/test/sample");
        assertThat(json.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(json.get("time").asText()).isEqualTo("2026-11-21T10:15:30.120Z");
        assertThat(json.at("/data/observedAt").asText()).isEqualTo("2026-11-21T10:15:30.120Z");
        assertThat(json.at("/data/outcome").asText()).isEqualTo("TIMEOUT");
        assertThat(json.at("/data").has("statusCode")).as("nulls are left out").isFalse();
    }

    @Test
    void shouldIgnoreUnknownFieldsInData() throws Exception {
        ObjectNode json =
                (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        ((ObjectNode) json.get("data")).put("addedInALaterVersion", "whatever");
        json.put("someextension", "x");

        Event<?> decoded = codec.decode(EventJson.mapper().writeValueAsBytes(json));

        assertThat(decoded.data()).isInstanceOf(HealthObserved.class);
        assertThat(((HealthObserved) decoded.data()).target()).isEqualTo("web");
    }

    @Test
    void shouldRejectMissingRequiredDataFieldNamingIt() throws Exception {
        ObjectNode json =
                (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        ((ObjectNode) json.get("data")).remove("latencyMillis");

        assertThatThrownBy(() -> codec.decode(EventJson.mapper().writeValueAsBytes(json)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("does not match its schema")
                .hasMessageContaining("latencyMillis");
    }

    @Test
    void shouldRejectAnEnumValueOutsideTheClosedSet() throws Exception {
        ObjectNode json =
                (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        ((ObjectNode) json.get("data")).put("outcome", "KINDA_OK");

        assertThatThrownBy(() -> codec.decode(EventJson.mapper().writeValueAsBytes(json)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("outcome");
    }

    @Test
    void shouldRejectMissingCloudEventsAttribute() throws Exception {
        ObjectNode json =
                (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        json.remove("id");

        assertThatThrownBy(() -> codec.decode(EventJson.mapper().writeValueAsBytes(json)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("not a CloudEvents 1.0 structured JSON event");
    }

    @Test
    void shouldRejectUnknownType() throws Exception {
        ObjectNode json =
                (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        json.put("type", "io.drplane.health.observed.v2");

        assertThatThrownBy(() -> codec.decode(EventJson.mapper().writeValueAsBytes(json)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("unknown event type 'io.drplane.health.observed.v2'");
    }

    @Test
    void shouldRejectGarbageAndJsonOfTheWrongShape() {
        assertThatThrownBy(() -> codec.decode("not json at all".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> codec.decode("[1,2,3]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> codec.decode(null))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("tombstone");
    }

    @Test
    void shouldRejectSubjectThatDisagreesWithData() throws Exception {
        ObjectNode json =
                (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        json.put("subject", "another-group");

        assertThatThrownBy(() -> codec.decode(EventJson.mapper().writeValueAsBytes(json)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("subject 'another-group'");
    }

    /** The envelope is read by hand; on the shapes both readers know, it must answer as the CloudEvents SDK's reader does. */
    @Test
    void shouldAcceptAndRefuseTheEnvelopesTheSdkReaderDoes() throws Exception {
        ObjectNode valid =
                (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        Map<String, Consumer<ObjectNode>> accepted = new LinkedHashMap<>();
        accepted.put("as written", json -> {});
        accepted.put("time with an offset", json -> json.put("time", "2026-11-21T11:15:30.120+01:00"));
        accepted.put("time without a fraction", json -> json.put("time", "2026-11-21T10:15:30Z"));
        accepted.put("time with nanoseconds", json -> json.put("time", "2026-11-21T10:15:30.120000001Z"));
        accepted.put("an extension attribute", json -> json.put("traceparent", "00-abc-def-01"));
        accepted.put("no datacontenttype", json -> json.remove("datacontenttype"));
        accepted.put(
                "a +json datacontenttype", json -> json.put("datacontenttype", "application/ld+json; charset=utf-8"));
        accepted.put("text/json", json -> json.put("datacontenttype", "text/json"));
        accepted.put(
                "data as base64",
                json -> json.put(
                        "data_base64",
                        Base64.getEncoder()
                                .encodeToString(json.remove("data").toString().getBytes(StandardCharsets.UTF_8))));
        Map<String, Consumer<ObjectNode>> refused = new LinkedHashMap<>();
        refused.put("no id", json -> json.remove("id"));
        refused.put("no source", json -> json.remove("source"));
        refused.put("no type", json -> json.remove("type"));
        refused.put("no specversion", json -> json.remove("specversion"));
        refused.put("an unknown specversion", json -> json.put("specversion", "2.0"));
        refused.put("a source that is no URI", json -> json.put("source", "not a uri"));
        refused.put("a time that is not RFC 3339", json -> json.put("time", "21/11/2026 10:15"));
        refused.put("a time on the 30th of February", json -> json.put("time", "2026-02-30T10:15:30.120Z"));

        for (var variant : accepted.entrySet()) {
            byte[] bytes = variant(valid, variant.getValue());
            CloudEvent sdk = new JsonFormat().deserialize(bytes);
            Event<?> ours = codec.decode(bytes);
            assertThat(ours.id()).as(variant.getKey()).isEqualTo(sdk.getId());
            assertThat(ours.source()).as(variant.getKey()).isEqualTo(sdk.getSource());
            assertThat(ours.time())
                    .as(variant.getKey())
                    .isEqualTo(sdk.getTime().toInstant().truncatedTo(ChronoUnit.MILLIS));
            assertThat(ours.data())
                    .as(variant.getKey())
                    .isEqualTo(SampleEvents.event(EventType.HEALTH_OBSERVED).data());
        }
        for (var variant : refused.entrySet()) {
            byte[] bytes = variant(valid, variant.getValue());
            assertThatThrownBy(() -> new JsonFormat().deserialize(bytes))
                    .as("the SDK refuses " + variant.getKey())
                    .isNotNull();
            assertThatThrownBy(() -> codec.decode(bytes))
                    .as(variant.getKey())
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageStartingWith("not a CloudEvents 1.0 structured JSON event: ");
        }
    }

    @Test
    void shouldNameWhatIsWrongWithTheEnvelope() throws Exception {
        ObjectNode valid =
                (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));

        assertThatThrownBy(() -> codec.decode(variant(valid, json -> json.remove("id"))))
                .hasMessage("not a CloudEvents 1.0 structured JSON event: the required attribute 'id' is missing");
        assertThatThrownBy(() -> codec.decode(variant(valid, json -> json.put("specversion", "0.3"))))
                .hasMessage("not a CloudEvents 1.0 structured JSON event: specversion is '0.3', expected '1.0'");
        assertThatThrownBy(() -> codec.decode(variant(valid, json -> json.put("id", 42))))
                .hasMessage(
                        "not a CloudEvents 1.0 structured JSON event: the attribute 'id' is a number, not a string");
        assertThatThrownBy(() -> codec.decode(variant(valid, json -> json.put("time", "2026-11-21 10:15:30Z"))))
                .hasMessage(
                        "not a CloudEvents 1.0 structured JSON event: time '2026-11-21 10:15:30Z' is not an RFC 3339 timestamp");
        assertThatThrownBy(() -> codec.decode(variant(valid, json -> json.put("datacontenttype", "text/plain"))))
                .hasMessageEndingWith("has data of content type 'text/plain'; drplane events carry application/json");
        assertThatThrownBy(() -> codec.decode(variant(valid, json -> json.remove("data"))))
                .hasMessageEndingWith("has no data");
        assertThatThrownBy(() -> codec.decode("[1,2,3]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("not a CloudEvents 1.0 structured JSON event: expected a JSON object, got array");
    }

    private static byte[] variant(ObjectNode valid, Consumer<ObjectNode> change) throws Exception {
        ObjectNode json = valid.deepCopy();
        change.accept(json);
        return EventJson.mapper().writeValueAsBytes(json);
    }
}

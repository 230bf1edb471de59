package io.drplane.events.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drplane.events.Event;
import io.drplane.events.EventType;
import io.drplane.events.HealthObserved;
import io.drplane.events.SampleEvents;
import java.nio.charset.StandardCharsets;
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

    @Test
    void shouldWriteStructuredCloudEventWithMillisecondTimes() throws Exception {
        byte[] bytes = codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED));
        JsonNode json = EventJson.mapper().readTree(bytes);

        assertThat(json.get("specversion").asText()).isEqualTo("1.0");
        assertThat(json.get("type").asText()).isEqualTo("io.drplane.health.observed.v1");
        assertThat(json.get("subject").asText()).isEqualTo("shop");
        assertThat(json.get("source").asText()).isEqualTo("/drplane/test/sample");
        assertThat(json.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(json.get("time").asText()).startsWith("2026-11-21T10:15:30.12");
        assertThat(json.at("/data/observedAt").asText()).isEqualTo("2026-11-21T10:15:30.120Z");
        assertThat(json.at("/data/outcome").asText()).isEqualTo("TIMEOUT");
        assertThat(json.at("/data").has("statusCode")).as("nulls are left out").isFalse();
    }

    @Test
    void shouldIgnoreUnknownFieldsInData() throws Exception {
        ObjectNode json = (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        ((ObjectNode) json.get("data")).put("addedInALaterVersion", "whatever");
        json.put("someextension", "x");

        Event<?> decoded = codec.decode(EventJson.mapper().writeValueAsBytes(json));

        assertThat(decoded.data()).isInstanceOf(HealthObserved.class);
        assertThat(((HealthObserved) decoded.data()).target()).isEqualTo("web");
    }

    @Test
    void shouldRejectMissingRequiredDataFieldNamingIt() throws Exception {
        ObjectNode json = (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        ((ObjectNode) json.get("data")).remove("latencyMillis");

        assertThatThrownBy(() -> codec.decode(EventJson.mapper().writeValueAsBytes(json)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("does not match its schema")
                .hasMessageContaining("latencyMillis");
    }

    @Test
    void shouldRejectAnEnumValueOutsideTheClosedSet() throws Exception {
        ObjectNode json = (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        ((ObjectNode) json.get("data")).put("outcome", "KINDA_OK");

        assertThatThrownBy(() -> codec.decode(EventJson.mapper().writeValueAsBytes(json)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("outcome");
    }

    @Test
    void shouldRejectMissingCloudEventsAttribute() throws Exception {
        ObjectNode json = (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        json.remove("id");

        assertThatThrownBy(() -> codec.decode(EventJson.mapper().writeValueAsBytes(json)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("not a CloudEvents 1.0 structured JSON event");
    }

    @Test
    void shouldRejectUnknownType() throws Exception {
        ObjectNode json = (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
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
        ObjectNode json = (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        json.put("subject", "another-group");

        assertThatThrownBy(() -> codec.decode(EventJson.mapper().writeValueAsBytes(json)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("subject 'another-group'");
    }
}

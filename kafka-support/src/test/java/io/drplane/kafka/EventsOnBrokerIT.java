package io.drplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drplane.events.Event;
import io.drplane.events.EventType;
import io.drplane.events.SampleEvents;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.testsupport.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every event type through the real broker, and our topics read by a client we did not write (kcat). */
class EventsOnBrokerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldRoundTripEventTypeThroughTheBrokerKeyedByGroup(EventType type) throws Exception {
        Event<?> sample = SampleEvents.event(type);
        Event<?> event = new Event<>(UUID.randomUUID().toString(), sample.source(), sample.time(), sample.data());
        String topic = TopicFamily.topicFor(event.data());

        try (KafkaProducer<String, Event<?>> producer =
                new KafkaProducer<>(BrokerFixture.config().eventProducer("it"))) {
            producer.send(new ProducerRecord<>(topic, event.subject(), event)).get(30, TimeUnit.SECONDS);
        }

        ConsumerRecord<byte[], byte[]> record = BrokerFixture.readUntil(
                        topic,
                        1,
                        r -> new String(r.value(), StandardCharsets.UTF_8).contains(event.id()),
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.subject());
        assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                .startsWith("application/cloudevents+json");
        assertThat(EventCodec.instance().decode(record.value())).isEqualTo(event);
    }

    @Test
    void shouldBeReadableByKcatWithCloudEventsAttributesAndHeaders() throws Exception {
        Event<?> sample = SampleEvents.event(EventType.HEALTH_OBSERVED);
        Event<?> event = new Event<>("kcat-" + UUID.randomUUID(), sample.source(), sample.time(), sample.data());
        try (KafkaProducer<String, Event<?>> producer =
                new KafkaProducer<>(BrokerFixture.config().eventProducer("it"))) {
            producer.send(new ProducerRecord<>(TopicFamily.HEALTH.topic(), event.subject(), event))
                    .get(30, TimeUnit.SECONDS);
        }

        // -J prints each message as JSON with topic, partition, offset, key, headers and payload.
        List<String> command = new ArrayList<>(List.of("kcat", "-C", "-b", BrokerFixture.bootstrap()));
        command.addAll(SharedKafka.kcatArguments()); // the broker requires SASL
        command.addAll(List.of("-t", TopicFamily.HEALTH.topic(), "-o", "beginning", "-e", "-q", "-J"));
        Process kcat = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kcat.waitFor(60, TimeUnit.SECONDS)).as("kcat finished").isTrue();
        assertThat(kcat.exitValue()).as("kcat exit code; output:\n" + output).isZero();

        JsonNode message = null;
        for (String line : output.split("\n")) {
            if (line.contains(event.id())) {
                message = JSON.readTree(line);
            }
        }
        assertThat(message).as("kcat printed our event; output:\n" + output).isNotNull();
        assertThat(message.get("key").asText()).isEqualTo("shop");
        assertThat(headers(message)).containsEntry("content-type", "application/cloudevents+json; charset=UTF-8");
        JsonNode cloudEvent = JSON.readTree(message.get("payload").asText());
        assertThat(cloudEvent.get("specversion").asText()).isEqualTo("1.0");
        assertThat(cloudEvent.get("id").asText()).isEqualTo(event.id());
        assertThat(cloudEvent.get("type").asText()).isEqualTo("io.drplane.health.observed.v1");
        assertThat(cloudEvent.get("source").asText()).isEqualTo("/drplane/test/sample");
        assertThat(cloudEvent.get("subject").asText()).isEqualTo("shop");
        assertThat(cloudEvent.get("time").asText()).startsWith("2026-11-21T10:15:30.12");
        assertThat(cloudEvent.at("/data/vantage").asText()).isEqualTo("us-east-2a");
    }

    private static Map<String, String> headers(JsonNode message) {
        // kcat -J writes headers as a flat array: [name1, value1, name2, value2, ...]
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode array = message.get("headers");
        for (int i = 0; array != null && i + 1 < array.size(); i += 2) {
            headers.put(array.get(i).asText(), array.get(i + 1).asText());
        }
        return headers;
    }
}

package io.drplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drplane.events.Event;
import io.drplane.events.EventType;
import io.drplane.events.SampleEvents;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Garbage on an input topic lands in dr.deadletter.v1, whole and with where it came from and why, and the
 * consumer goes on to the next record.
 */
class DeadLetterIT {

    private static final Instant FAILED_AT = Instant.parse("2026-11-21T12:00:00.000Z");

    @Test
    void shouldDeadLetterEveryKindOfGarbageAndKeepConsuming() throws Exception {
        String topic = BrokerFixture.freshTopic("dlq-input");
        byte[] first = EventCodec.instance().encode(SampleEvents.event(EventType.HEALTH_OBSERVED));
        byte[] notJson = "this is not JSON {".getBytes(StandardCharsets.UTF_8);
        byte[] wrongShape = "[1, 2, 3]".getBytes(StandardCharsets.UTF_8);
        ObjectNode noId = (ObjectNode) EventJson.mapper().readTree(first);
        noId.remove("id");
        byte[] missingAttribute = EventJson.mapper().writeValueAsBytes(noId);
        byte[] oneMegabyte = new byte[1_000_000];
        new Random(42).nextBytes(oneMegabyte);
        Event<?> lastSample = SampleEvents.event(EventType.REPLICATION_LAG_OBSERVED);
        byte[] last = EventCodec.instance().encode(lastSample);
        List<byte[]> values = List.of(first, notJson, wrongShape, missingAttribute, oneMegabyte, last);

        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.putAll(BrokerFixture.config().common());
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig)) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, "shop", value)).get(30, TimeUnit.SECONDS);
            }
        }

        String group = "dlq-it-" + UUID.randomUUID();
        List<Event<?>> consumed = new ArrayList<>();
        DeadLetteringReader reader;
        try (KafkaProducer<byte[], byte[]> dlqProducer =
                        new KafkaProducer<>(BrokerFixture.config().deadLetterProducer("it"));
                KafkaConsumer<byte[], byte[]> consumer = BrokerFixture.consumer(group)) {
            reader = new DeadLetteringReader(
                    dlqProducer, group, EventCodec.instance(), Clock.fixed(FAILED_AT, ZoneOffset.UTC));
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int seen = 0;
            while (seen < values.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    reader.read(record).ifPresent(consumed::add);
                    seen++;
                }
                consumer.commitSync();
            }
        }

        assertThat(consumed)
                .as("the consumer went past the garbage to the last event")
                .containsExactly(SampleEvents.event(EventType.HEALTH_OBSERVED), lastSample);
        assertThat(reader.deadLettered()).isEqualTo(4);

        List<ConsumerRecord<byte[], byte[]>> dead = BrokerFixture.readUntil(
                TopicFamily.DEADLETTER.topic(),
                4,
                r -> topic.equals(header(r, DeadLetterHeaders.ORIGINAL_TOPIC)),
                Duration.ofSeconds(30));
        assertThat(dead)
                .extracting(r -> header(r, DeadLetterHeaders.ORIGINAL_OFFSET))
                .containsExactly("1", "2", "3", "4");
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            assertThat(header(record, DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo("0");
            assertThat(header(record, DeadLetterHeaders.CONSUMER_GROUP)).isEqualTo(group);
            assertThat(header(record, DeadLetterHeaders.ERROR_CLASS))
                    .isEqualTo("io.drplane.events.codec.EventDecodingException");
            assertThat(header(record, DeadLetterHeaders.ERROR_MESSAGE))
                    .startsWith("not a CloudEvents 1.0 structured JSON event");
            assertThat(header(record, DeadLetterHeaders.FAILED_AT)).isEqualTo("2026-11-21T12:00:00.000Z");
            assertThat(header(record, DeadLetterHeaders.ORIGINAL_TIMESTAMP)).isNotBlank();
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("shop");
        }
        assertThat(dead.get(0).value()).isEqualTo(notJson);
        assertThat(dead.get(1).value()).isEqualTo(wrongShape);
        assertThat(dead.get(2).value()).isEqualTo(missingAttribute);
        assertThat(header(dead.get(2), DeadLetterHeaders.ERROR_MESSAGE)).contains("id");
        assertThat(dead.get(3).value()).as("the 1 MB value is kept whole").isEqualTo(oneMegabyte);
    }

    @Test
    void shouldDeadLetterAPayloadThatBreaksItsSchemaWithTheViolationInTheHeader() throws Exception {
        String topic = BrokerFixture.freshTopic("dlq-schema");
        ObjectNode json = (ObjectNode) EventJson.mapper()
                .readTree(EventCodec.instance().encode(SampleEvents.event(EventType.HEALTH_OBSERVED)));
        ((ObjectNode) json.get("data")).remove("vantage");
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.putAll(BrokerFixture.config().common());
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>(topic, "shop", EventJson.mapper().writeValueAsBytes(json)))
                    .get(30, TimeUnit.SECONDS);
        }
        String group = "dlq-schema-" + UUID.randomUUID();
        try (KafkaProducer<byte[], byte[]> dlqProducer =
                        new KafkaProducer<>(BrokerFixture.config().deadLetterProducer("it"));
                KafkaConsumer<byte[], byte[]> consumer = BrokerFixture.consumer(group)) {
            DeadLetteringReader reader =
                    new DeadLetteringReader(dlqProducer, group, EventCodec.instance(), Clock.systemUTC());
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (reader.deadLettered() == 0 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(record -> assertThat(reader.read(record)).isEmpty());
            }
        }
        ConsumerRecord<byte[], byte[]> dead = BrokerFixture.readUntil(
                        TopicFamily.DEADLETTER.topic(),
                        1,
                        r -> topic.equals(header(r, DeadLetterHeaders.ORIGINAL_TOPIC)),
                        Duration.ofSeconds(30))
                .get(0);
        assertThat(header(dead, DeadLetterHeaders.ERROR_MESSAGE))
                .contains("io.drplane.health.observed.v1 does not match its schema")
                .contains("vantage");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldDeadLetterTheHeadOfARecordTooLargeForTheDeadLetterTopicAndGoOn() throws Exception {
        String topic = BrokerFixture.freshTopic("dlq-too-large");
        byte[] big = new byte[300_000]; // not an event, and over the dead-letter topic's limit set below
        new Random(7).nextBytes(big);
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.putAll(BrokerFixture.config().common());
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>(topic, "shop", big)).get(30, TimeUnit.SECONDS);
        }
        ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, TopicFamily.DEADLETTER.topic());
        try (Admin admin = BrokerFixture.admin()) {
            // A dead-letter topic with a lower limit than drplane provisions (an operator's, or a broker default).
            admin.incrementalAlterConfigs(Map.of(
                            dlq,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("max.message.bytes", "100000"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            String group = "dlq-large-" + UUID.randomUUID();
            try (KafkaProducer<byte[], byte[]> dlqProducer =
                            new KafkaProducer<>(BrokerFixture.config().deadLetterProducer("it"));
                    KafkaConsumer<byte[], byte[]> consumer = BrokerFixture.consumer(group);
                    KafkaConsumer<byte[], byte[]> dead =
                            BrokerFixture.consumer("dlq-large-reader-" + UUID.randomUUID())) {
                DeadLetteringReader reader =
                        new DeadLetteringReader(dlqProducer, group, EventCodec.instance(), Clock.systemUTC());
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (reader.deadLettered() == 0 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(reader::read);
                }
                assertThat(reader.deadLettered())
                        .as("the consumer moved past it")
                        .isEqualTo(1);

                dead.subscribe(List.of(TopicFamily.DEADLETTER.topic()));
                List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
                long readDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (found.isEmpty() && System.nanoTime() < readDeadline) {
                    for (ConsumerRecord<byte[], byte[]> r : dead.poll(Duration.ofMillis(200))) {
                        if (topic.equals(header(r, DeadLetterHeaders.ORIGINAL_TOPIC))) {
                            found.add(r);
                        }
                    }
                }
                assertThat(found).singleElement().satisfies(r -> {
                    assertThat(header(r, DeadLetterHeaders.TRUNCATED_FROM)).isEqualTo("300000");
                    assertThat(r.value()).isEqualTo(Arrays.copyOf(big, DeadLetteringReader.TRUNCATED_BYTES));
                    assertThat(header(r, DeadLetterHeaders.ERROR_CLASS))
                            .isEqualTo("io.drplane.events.codec.EventDecodingException");
                });
            } finally {
                admin.incrementalAlterConfigs(Map.of(
                                dlq,
                                List.of(new AlterConfigOp(
                                        new ConfigEntry(
                                                "max.message.bytes",
                                                Integer.toString(TopicFamily.DEADLETTER_MAX_MESSAGE_BYTES)),
                                        AlterConfigOp.OpType.SET))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }
}

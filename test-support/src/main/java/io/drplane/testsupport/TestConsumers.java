package io.drplane.testsupport;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Consumers that read a topic from the beginning in a consumer group of their own, as a test that checks a topic needs. */
public final class TestConsumers {

    private TestConsumers() {}

    /** String keys, raw values, read_committed, from the earliest offset, subscribed to the topics. */
    public static KafkaConsumer<String, byte[]> fromBeginning(String bootstrapServers, String... topics) {
        return fromBeginning(bootstrapServers, Map.of(), topics);
    }

    /** The same on a secured cluster: {@code connection} holds its security settings (SASL, TLS). */
    public static KafkaConsumer<String, byte[]> fromBeginning(
            String bootstrapServers, Map<String, ?> connection, String... topics) {
        Properties props = new Properties();
        props.putAll(connection);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The OS sizes the receive buffer: a fixed 64 KB one stalls fetch responses larger than it on loopback (the TCP
        // persist timer, 200 ms and doubling; see KafkaClientConfig.CONSUMER_RECEIVE_BUFFER_BYTES).
        props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topics));
        return consumer;
    }
}

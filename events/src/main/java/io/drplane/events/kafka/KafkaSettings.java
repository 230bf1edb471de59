package io.drplane.events.kafka;

import io.drplane.events.TopicFamily;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Client settings drplane relies on, in one place. */
public final class KafkaSettings {

    /**
     * {@code receive.buffer.bytes} for drplane's consumers: -1, so the OS sizes the socket buffer. With Kafka's fixed
     * 64 KB default, a fetch response larger than the buffer closes the TCP window, and on loopback, whose 64 KB
     * segments cannot fit the window that reopens, the broker then waits for the persist timer (200 ms, doubling)
     * before it sends on. The broker's request log showed it as fetches with a send time of 200, 400, 800 ms; at
     * 10,000 events/s it was the largest part of the coordinator's p99.
     */
    public static final int CONSUMER_RECEIVE_BUFFER_BYTES = -1;

    private KafkaSettings() {
    }

    /** An idempotent, acks=all producer of events keyed by group. */
    /**
     * How long the health monitor's producer waits to fill a batch. An observation that tips a failover waits this
     * long before it leaves, so it is part of every failover's latency; at the thousands of observations a second a
     * monitor sends, 2 ms still batches them. The coordinator's end-to-end benchmark sends its load the same way.
     */
    public static final int OBSERVATION_LINGER_MS = 2;

    public static Map<String, Object> eventProducer(String bootstrapServers, String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, EventSerializer.class);
        return config;
    }

    /** The producer behind {@link DeadLetteringReader}: raw bytes, room for a whole oversized original. */
    public static Map<String, Object> deadLetterProducer(String bootstrapServers, String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-deadletter");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicFamily.DEADLETTER_MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }
}

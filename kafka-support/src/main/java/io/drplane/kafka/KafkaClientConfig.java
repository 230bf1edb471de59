package io.drplane.kafka;

import io.drplane.events.TopicFamily;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one place every drplane Kafka client (producer, consumer, admin; service, CLI, local stack) gets its
 * configuration from: where the cluster is and how to connect to it, then the settings each kind of client relies
 * on. Connection settings are kept apart so that a service's every client, and micronaut-kafka's, connect the same way.
 */
public final class KafkaClientConfig {

    /**
     * {@code receive.buffer.bytes} for drplane's consumers: -1, so the OS sizes the socket buffer. With Kafka's fixed
     * 64 KB default, a fetch response larger than the buffer closes the TCP window, and on loopback, whose 64 KB
     * segments cannot fit the window that reopens, the broker then waits for the persist timer (200 ms, doubling)
     * before it sends on. The broker's request log showed it as fetches with a send time of 200, 400, 800 ms; at
     * 10,000 events/s it was the largest part of the coordinator's p99.
     */
    public static final int CONSUMER_RECEIVE_BUFFER_BYTES = -1;

    /**
     * How long the health monitor's producer waits to fill a batch. An observation that tips a failover waits this
     * long before it leaves, so it is part of every failover's latency; at the thousands of observations a second a
     * monitor sends, 2 ms still batches them. The coordinator's end-to-end benchmark sends its load the same way.
     */
    public static final int OBSERVATION_LINGER_MS = 2;

    private final String bootstrapServers;
    /** How to connect (security protocol, SASL, TLS and the like): applied to every client, in this order. */
    private final Map<String, Object> connection;

    private KafkaClientConfig(String bootstrapServers, Map<String, Object> connection) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap servers are empty: give host:port[,host:port...]");
        }
        this.bootstrapServers = bootstrapServers;
        this.connection = Map.copyOf(connection);
    }

    /** A cluster reached in plain text at {@code bootstrapServers}. */
    public static KafkaClientConfig plaintext(String bootstrapServers) {
        return new KafkaClientConfig(bootstrapServers, Map.of());
    }

    /** A cluster at {@code bootstrapServers} reached with {@code connection} (security protocol, SASL, TLS). */
    public static KafkaClientConfig of(String bootstrapServers, Map<String, ?> connection) {
        return plaintext(bootstrapServers).withConnection(connection);
    }

    /**
     * The cluster a Kafka client properties file names ({@code DRPLANE_KAFKA_PROPERTIES}), with its connection settings;
     * {@code bootstrapServers} when given wins over the file's.
     */
    public static KafkaClientConfig fromFile(String bootstrapServers, Path file) {
        Map<String, String> settings = new LinkedHashMap<>(KafkaConnectionSettings.fromFile(file));
        String fromFile = settings.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        String servers = bootstrapServers != null && !bootstrapServers.isBlank() ? bootstrapServers : fromFile;
        if (servers == null) {
            throw new IllegalArgumentException(KafkaConnectionSettings.PROPERTIES_FILE_ENV + "=" + file
                    + " has no bootstrap.servers, and none was given otherwise");
        }
        return plaintext(servers).withConnection(settings);
    }

    /**
     * What a command-line tool connects with: {@code bootstrapServers}, and the connection settings of the file that
     * {@code DRPLANE_KAFKA_PROPERTIES} names when it is set.
     */
    public static KafkaClientConfig forTool(String bootstrapServers, Map<String, String> environment) {
        String file = environment.get(KafkaConnectionSettings.PROPERTIES_FILE_ENV);
        return forTool(bootstrapServers, file == null || file.isBlank() ? null : Path.of(file));
    }

    /** What a command-line tool connects with: {@code bootstrapServers}, and the settings of {@code file} if given. */
    public static KafkaClientConfig forTool(String bootstrapServers, Path file) {
        return file == null ? plaintext(bootstrapServers) : fromFile(bootstrapServers, file);
    }

    /** The same cluster, with further connection settings (security protocol, SASL, TLS) for every client. */
    public KafkaClientConfig withConnection(Map<String, ?> settings) {
        Map<String, Object> merged = new LinkedHashMap<>(connection);
        merged.putAll(settings);
        return new KafkaClientConfig(bootstrapServers, merged);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The connection settings besides the bootstrap servers, for micronaut-kafka's {@code kafka.*}. */
    public Map<String, Object> connection() {
        return connection;
    }

    /** The connection settings alone: bootstrap servers and how to connect. */
    public Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>(connection);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /**
     * A consumer of raw event bytes keyed by group: it decodes values itself (so an unreadable one can be
     * dead-lettered), commits offsets itself, and sees only committed transactions. {@code groupId} null for a
     * consumer that assigns its partitions by hand.
     */
    public Map<String, Object> consumer(String groupId, String clientId) {
        Map<String, Object> config = common();
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        if (clientId != null) {
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        }
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, CONSUMER_RECEIVE_BUFFER_BYTES);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /** {@link #consumer} as {@link Properties}, for code that adds to it. */
    public Properties consumerProperties(String groupId, String clientId) {
        Properties properties = new Properties();
        properties.putAll(consumer(groupId, clientId));
        return properties;
    }

    /** An idempotent, acks=all producer of events keyed by group. */
    public Map<String, Object> eventProducer(String clientId) {
        Map<String, Object> config = idempotentProducer(clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, EventSerializer.class);
        return config;
    }

    /** {@link #eventProducer}, signing the operator events it writes with {@code operatorKeys} (the API's producer). */
    public Map<String, Object> signingEventProducer(String clientId, RecordSignatures operatorKeys) {
        Map<String, Object> config = eventProducer(clientId);
        config.put(EventSerializer.OPERATOR_KEYS_CONFIG, operatorKeys);
        return config;
    }

    /** {@link #eventProducer}, signing the commands it writes with {@code commandKeys} (tests and tools in the coordinator's stead). */
    public Map<String, Object> commandSigningEventProducer(String clientId, RecordSignatures commandKeys) {
        Map<String, Object> config = eventProducer(clientId);
        config.put(EventSerializer.COMMAND_KEYS_CONFIG, commandKeys);
        return config;
    }

    /** An idempotent, acks=all producer of encoded events (bytes) keyed by group. */
    public Map<String, Object> bytesProducer(String clientId) {
        Map<String, Object> config = idempotentProducer(clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /** The producer behind {@link DeadLetteringReader}: raw bytes, room for a whole oversized original. */
    public Map<String, Object> deadLetterProducer(String clientId) {
        Map<String, Object> config = idempotentProducer(clientId + "-deadletter");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicFamily.DEADLETTER_MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /** An admin client whose calls give up after {@code apiTimeoutMillis}. */
    public Map<String, Object> admin(int apiTimeoutMillis) {
        Map<String, Object> config = common();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, apiTimeoutMillis);
        return config;
    }

    private Map<String, Object> idempotentProducer(String clientId) {
        Map<String, Object> config = common();
        if (clientId != null) {
            config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        }
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    /** Where and how clients connect, for an error message: {@code host:port over SASL_SSL with SCRAM-SHA-512}. */
    public String describe() {
        Object protocol = connection.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        Object mechanism = connection.get("sasl.mechanism");
        return bootstrapServers + " over " + protocol
                + (mechanism != null && protocol.toString().startsWith("SASL") ? " with " + mechanism : "");
    }

    @Override
    public String toString() {
        // the connection settings may hold secrets: name them, never their values
        return "kafka " + bootstrapServers + (connection.isEmpty() ? "" : " with " + connection.keySet());
    }
}

package io.drplane.kafka;

import io.drplane.events.TopicSpec;
import io.drplane.testsupport.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The shared test broker with drplane's topics provisioned once, and small helpers to read topics back. */
final class BrokerFixture {

    static final List<String> REGIONS = List.of("us-east-1", "us-west-2");
    private static volatile boolean provisioned;

    private BrokerFixture() {}

    static String bootstrap() {
        String servers = SharedKafka.bootstrapServers();
        if (!provisioned) {
            synchronized (BrokerFixture.class) {
                if (!provisioned) {
                    try (Admin admin = admin()) {
                        TopicProvisioner provisioner = new TopicProvisioner(admin);
                        provisioner.apply(TopicSpec.all(REGIONS), provisioner.defaultReplicationFactor());
                    } catch (Exception e) {
                        throw new IllegalStateException("could not provision topics", e);
                    }
                    provisioned = true;
                }
            }
        }
        return servers;
    }

    /** The shared broker's super user. */
    static KafkaClientConfig config() {
        return KafkaClientConfig.of(bootstrap(), SharedKafka.connection());
    }

    static Admin admin() {
        return SharedKafka.admin();
    }

    /** A fresh single-partition topic, for tests that need to own every record on it. */
    static String freshTopic(String prefix) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        }
        return name;
    }

    static KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties props = new Properties();
        props.putAll(SharedKafka.connection());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(props);
    }

    /** Reads a topic from the beginning until {@code wanted} records match, or fails after the timeout. */
    static List<ConsumerRecord<byte[], byte[]>> readUntil(
            String topic, int wanted, Predicate<ConsumerRecord<byte[], byte[]>> match, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("reader-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < wanted && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        if (found.size() < wanted) {
            throw new AssertionError(
                    "found " + found.size() + " of " + wanted + " records on " + topic + " within " + timeout);
        }
        return found;
    }
}

package io.drplane.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions from their beginning to the end they have now: how a service rebuilds what it keeps in Kafka
 * (snapshots, a ledger of results, a journal) before it goes on.
 */
public final class ReadToEnd {

    private ReadToEnd() {}

    /** Every partition of {@code topic} (none when it does not exist). */
    public static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    /** Assigns {@code partitions} to {@code consumer}, hands every record up to their current end to {@code handler}, and says how many. */
    public static <K, V> int read(
            KafkaConsumer<K, V> consumer,
            Collection<TopicPartition> partitions,
            Consumer<ConsumerRecord<K, V>> handler) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return readToEnd(consumer, partitions, handler);
    }

    /** As {@link #read}, from the given offset of each partition instead of its beginning. */
    public static <K, V> int readFrom(
            KafkaConsumer<K, V> consumer, Map<TopicPartition, Long> from, Consumer<ConsumerRecord<K, V>> handler) {
        consumer.assign(from.keySet());
        from.forEach(consumer::seek);
        return readToEnd(consumer, from.keySet(), handler);
    }

    private static <K, V> int readToEnd(
            KafkaConsumer<K, V> consumer,
            Collection<TopicPartition> partitions,
            Consumer<ConsumerRecord<K, V>> handler) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        int read = 0;
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
                handler.accept(record);
                read++;
            }
        }
        return read;
    }
}

package io.drplane.kafka.journal;

import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.ReadToEnd;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads what a coordinator processed and what it decided, for one group, from Kafka: the journal partition of the
 * group (the exact input order) and the group's partition of the decisions and command topics.
 */
public final class JournalReader {

    private final KafkaClientConfig kafka;

    public JournalReader(KafkaClientConfig kafka) {
        this.kafka = kafka;
    }

    /** The input partition of a group: Kafka's default partitioner on the group key, as the producers use it. */
    public static int partitionOf(String group) {
        return Utils.toPositive(Utils.murmur2(group.getBytes(StandardCharsets.UTF_8))) % TopicFamily.GROUP_PARTITIONS;
    }

    /** Every input the coordinator committed on the group's partition, in the order it processed them. */
    public List<Event<?>> journal(String group) {
        return read(List.of(TopicFamily.COORDINATOR_JOURNAL.topic()), partitionOf(group), null);
    }

    /** The decisions and commands recorded for the group. */
    public List<Event<?>> recorded(String group, Collection<String> regions) {
        List<String> topics = new ArrayList<>();
        topics.add(TopicFamily.DECISIONS.topic());
        regions.forEach(r -> topics.add(TopicFamily.COMMANDS.topic(r)));
        return read(topics, partitionOf(group), group);
    }

    private List<Event<?>> read(List<String> topics, int partition, String subject) {
        Properties config = kafka.consumerProperties(null, null);
        List<Event<?>> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions =
                    topics.stream().map(t -> new TopicPartition(t, partition)).toList();
            ReadToEnd.read(consumer, partitions, record -> {
                try {
                    for (byte[] value : values(record)) {
                        Event<?> event = EventCodec.instance().decode(value);
                        if (subject == null || subject.equals(event.subject())) {
                            events.add(event);
                        }
                    }
                } catch (EventDecodingException e) {
                    throw new IllegalStateException(
                            "an unreadable record in " + record.topic() + "-" + record.partition() + "@"
                                    + record.offset() + ": " + e.getMessage(),
                            e);
                }
            });
        }
        return events;
    }

    /** A record's events: one, or for a journal batch every input it holds, in order. */
    private static List<byte[]> values(ConsumerRecord<String, byte[]> record) {
        var format = record.headers().lastHeader(JournalBatch.FORMAT_HEADER);
        if (format == null) {
            return List.of(record.value());
        }
        return JournalBatch.decode(record.value()).stream()
                .map(JournalBatch.Entry::value)
                .toList();
    }
}

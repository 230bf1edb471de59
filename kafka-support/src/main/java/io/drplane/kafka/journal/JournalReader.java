package io.drplane.kafka.journal;

import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.ReadToEnd;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

    /**
     * One journaled input and the coordinator's clock when it took it in (its own time, in a journal written before
     * arrival times were recorded): the decider's time for it.
     */
    public record Journaled(Event<?> event, Instant arrivedAt) {}

    /** Every input the coordinator committed on the group's partition, in the order it processed them. */
    public List<Journaled> journal(String group) {
        List<Journaled> inputs = new ArrayList<>();
        read(List.of(TopicFamily.COORDINATOR_JOURNAL.topic()), partitionOf(group), null, inputs);
        return inputs;
    }

    /** The decisions and commands recorded for the group. */
    public List<Event<?>> recorded(String group, Collection<String> regions) {
        List<String> topics = new ArrayList<>();
        topics.add(TopicFamily.DECISIONS.topic());
        topics.add(TopicFamily.TOPOLOGY.topic()); // compacted: the latest change per group
        regions.forEach(r -> topics.add(TopicFamily.COMMANDS.topic(r)));
        List<Journaled> events = new ArrayList<>();
        read(topics, partitionOf(group), group, events);
        return events.stream().<Event<?>>map(Journaled::event).toList();
    }

    private void read(List<String> topics, int partition, String subject, List<Journaled> events) {
        Properties config = kafka.consumerProperties(null, null);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions =
                    topics.stream().map(t -> new TopicPartition(t, partition)).toList();
            ReadToEnd.read(consumer, partitions, record -> {
                try {
                    for (JournalBatch.Entry entry : entries(record)) {
                        Event<?> event = EventCodec.instance().decode(entry.value());
                        if (subject == null || subject.equals(event.subject())) {
                            events.add(new Journaled(event, entry.arrivedAt(event.time())));
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
    }

    /** A record's events: one, or for a journal batch every input it holds, in order. */
    private static List<JournalBatch.Entry> entries(ConsumerRecord<String, byte[]> record) {
        var format = record.headers().lastHeader(JournalBatch.FORMAT_HEADER);
        if (format == null) {
            return List.of(new JournalBatch.Entry(
                    record.topic(), record.offset(), JournalBatch.ARRIVAL_UNKNOWN, record.key(), record.value()));
        }
        return JournalBatch.decode(record.value());
    }
}

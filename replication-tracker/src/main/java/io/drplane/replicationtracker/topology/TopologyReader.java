package io.drplane.replicationtracker.topology;

import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopologyChanged;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.runtime.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted topology topic from its beginning and keeps reading: every group's latest
 * {@code topology.changed} is its live topology. Every instance reads all partitions, assigned by hand (no consumer
 * group: each tracker needs every group's topology, and nothing is committed), so a restart learns the current
 * topology again from the compacted log. A record that does not decode, or is no topology event, is skipped and
 * logged: it changes nothing.
 */
public final class TopologyReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyReader.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaClientConfig kafka;
    private final LiveTopology topology;
    private final BiConsumer<String, List<String>> appeared;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;

    /** @param appeared told of each group's links that did not exist before, just before they are measured */
    public TopologyReader(KafkaClientConfig kafka, LiveTopology topology, BiConsumer<String, List<String>> appeared) {
        this.kafka = kafka;
        this.topology = topology;
        this.appeared = appeared;
        this.thread = DaemonThreads.named("topology-reader").newThread(this::run);
    }

    public TopologyReader start() {
        thread.start();
        return this;
    }

    private void run() {
        String topic = TopicFamily.TOPOLOGY.topic();
        while (running.get()) {
            try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(kafka.consumer(null, "topology-reader"))) {
                consumer = reader;
                List<TopicPartition> partitions = reader.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                if (partitions.isEmpty()) {
                    LOG.warn("no topic {}: measuring the plan's links until the coordinator publishes one", topic);
                    sleep();
                    continue;
                }
                reader.assign(partitions);
                reader.seekToBeginning(partitions);
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
                        take(record);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                LOG.warn("reading {} failed, reading it again from the start: {}", topic, e.toString());
                sleep();
            }
        }
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            Event<?> event = EventCodec.instance().decode(record.value());
            if (event.data() instanceof TopologyChanged changed) {
                // told before they are measured: what their names already hold is an earlier resource's
                List<String> links = topology.appearing(changed);
                if (!links.isEmpty()) {
                    appeared.accept(changed.group(), links);
                }
                topology.apply(changed);
                LOG.info(
                        "live topology of {}: primary {}, links {}",
                        changed.group(),
                        changed.primary(),
                        changed.links());
            } else {
                LOG.warn("skipped a {} on the topology topic (offset {})", event.type(), record.offset());
            }
        } catch (EventDecodingException e) {
            LOG.warn(
                    "skipped an unreadable record on the topology topic (offset {}): {}",
                    record.offset(),
                    e.getMessage());
        }
    }

    private void sleep() {
        try {
            Thread.sleep(2_000); // a broker that is not ready yet: wait, then look again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

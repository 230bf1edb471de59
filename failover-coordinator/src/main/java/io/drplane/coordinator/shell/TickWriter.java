package io.drplane.coordinator.shell;

import io.drplane.events.CoordinatorTicked;
import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the coordinator's clock into its own input: one {@code coordinator.ticked} per owned partition per interval.
 * Timeouts are decided when a tick is read, so a replay of the input sees the same ticks and decides the same.
 */
public final class TickWriter implements Runnable, AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Supplier<Set<Integer>> owned;
    private final Clock clock;
    private final String instance;
    private final URI source;

    public TickWriter(String bootstrapServers, Supplier<Set<Integer>> owned, Clock clock, String instance) {
        this.producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers, "acks", "all",
                "enable.idempotence", true, "key.serializer", StringSerializer.class, "value.serializer", ByteArraySerializer.class));
        this.owned = owned;
        this.clock = clock;
        this.instance = instance;
        this.source = Event.sourceOf("failover-coordinator", instance);
    }

    @Override
    public void run() {
        var now = clock.instant();
        for (int partition : owned.get()) {
            CoordinatorTicked tick = new CoordinatorTicked(partition, instance, now);
            Event<CoordinatorTicked> event = Event.of(source, now, tick);
            producer.send(new ProducerRecord<>(TopicFamily.TICKS.topic(), partition, tick.subject(), EventCodec.instance().encode(event)));
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

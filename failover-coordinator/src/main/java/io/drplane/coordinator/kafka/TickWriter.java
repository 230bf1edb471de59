package io.drplane.coordinator.kafka;

import io.drplane.events.CoordinatorTicked;
import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.KafkaClientConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the coordinator's clock into its own input: one {@code coordinator.ticked} per owned partition per interval.
 * Timeouts are decided when a tick is read, so a replay of the input sees the same ticks and decides the same.
 * <p>
 * The partitions are ticked one after another, partition {@code p} at {@code p / 12} of each interval: a tick decides
 * every group of its partition, and ticking all partitions at once made one burst of every group's decision that the
 * observations read behind it waited for (about 50 ms for 10,000 groups, measured with the end-to-end benchmark).
 */
public final class TickWriter implements Runnable, AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Supplier<Set<Integer>> owned;
    private final Clock clock;
    private final String instance;
    private final URI source;
    /** The partition the next run ticks; only the timer's thread touches it. */
    private int next;

    public TickWriter(KafkaClientConfig kafka, Supplier<Set<Integer>> owned, Clock clock, String instance) {
        this.producer = new KafkaProducer<>(kafka.bytesProducer("failover-coordinator-ticks-" + instance));
        this.owned = owned;
        this.clock = clock;
        this.instance = instance;
        this.source = Event.sourceOf("failover-coordinator", instance);
    }

    /** Ticks every owned partition once per {@code interval}, one partition at a time, on {@code timer}. */
    public ScheduledFuture<?> scheduleOn(ScheduledExecutorService timer, Duration interval) {
        long slot = slot(interval).toNanos();
        return timer.scheduleAtFixedRate(this, slot, slot, TimeUnit.NANOSECONDS);
    }

    /** The period of the runs: a run per partition per interval. */
    static Duration slot(Duration interval) {
        return Duration.ofNanos(Math.max(1, interval.toNanos() / TopicFamily.GROUP_PARTITIONS));
    }

    /** Ticks the next partition in turn, if this instance owns it. */
    @Override
    public void run() {
        int partition = next;
        next = (next + 1) % TopicFamily.GROUP_PARTITIONS;
        if (!owned.get().contains(partition)) {
            return;
        }
        var now = clock.instant();
        CoordinatorTicked tick = new CoordinatorTicked(partition, instance, now);
        Event<CoordinatorTicked> event = Event.of(source, now, tick);
        producer.send(new ProducerRecord<>(
                TopicFamily.TICKS.topic(),
                partition,
                tick.subject(),
                EventCodec.instance().encode(event)));
    }

    @Override
    public void close() {
        producer.close();
    }
}

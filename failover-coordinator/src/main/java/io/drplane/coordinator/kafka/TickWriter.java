package io.drplane.coordinator.kafka;

import io.drplane.events.CoordinatorTicked;
import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.EventSerializer;
import io.drplane.kafka.KafkaClientConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(TickWriter.class);

    /** The partition the next run ticks; only the timer's thread touches it. */
    private int next;

    private final LongSupplier nanos;
    private final long startedNanos;
    private volatile long lastWrittenNanos;
    private final LongAdder failures = new LongAdder();
    private volatile String lastError;

    public TickWriter(KafkaClientConfig kafka, Supplier<Set<Integer>> owned, Clock clock, String instance) {
        this(kafka, owned, clock, instance, System::nanoTime);
    }

    /** A tick writer whose own health bookkeeping reads {@code nanos} (a monotonic clock), not the ticks' clock. */
    TickWriter(
            KafkaClientConfig kafka, Supplier<Set<Integer>> owned, Clock clock, String instance, LongSupplier nanos) {
        this.nanos = nanos;
        Map<String, Object> config = new HashMap<>(kafka.bytesProducer("failover-coordinator-ticks-" + instance));
        // A tick that cannot be sent must not hold the timer: it fails fast, is counted, and /health says so.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        this.producer = new KafkaProducer<>(config);
        this.owned = owned;
        this.clock = clock;
        this.instance = instance;
        this.source = Event.sourceOf("failover-coordinator", instance);
        this.startedNanos = nanos.getAsLong();
        this.lastWrittenNanos = startedNanos;
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

    /**
     * Ticks the next partition in turn, if this instance owns it. Never throws: an exception out of a scheduled task
     * cancels its schedule for good, and a coordinator without ticks has no timeouts.
     */
    @Override
    public void run() {
        try {
            tickNext();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void tickNext() {
        int partition = next;
        next = (next + 1) % TopicFamily.GROUP_PARTITIONS;
        if (!owned.get().contains(partition)) {
            return;
        }
        var now = clock.instant();
        CoordinatorTicked tick = new CoordinatorTicked(partition, instance, now);
        Event<CoordinatorTicked> event = Event.of(source, now, tick);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                TopicFamily.TICKS.topic(),
                partition,
                tick.subject(),
                EventCodec.instance().encode(event));
        EventSerializer.markAsCloudEvent(record.headers());
        producer.send(record, (written, error) -> {
            if (error == null) {
                lastWrittenNanos = nanos.getAsLong();
            } else {
                failed(error);
            }
        });
    }

    private void failed(Throwable error) {
        failures.increment();
        lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
        LOG.warn("a tick could not be written ({}); timeouts wait until ticks are written again", lastError);
    }

    /**
     * What is wrong with the ticks, if anything: none has been written for {@code bound} while ticks were due (owned
     * partitions), so every timeout of the groups this instance owns is stalled.
     */
    public Optional<String> problem(Duration bound) {
        if (owned.get().isEmpty()) {
            return Optional.empty();
        }
        long since = nanos.getAsLong() - lastWrittenNanos;
        if (since <= bound.toNanos()) {
            return Optional.empty();
        }
        return Optional.of("no tick written for " + since / 1_000_000_000L + " s (" + failures.sum() + " failed"
                + (lastError == null ? "" : ", last: " + lastError) + "): timeouts of the groups this instance owns"
                + " are stalled");
    }

    @Override
    public void close() {
        producer.close();
    }
}

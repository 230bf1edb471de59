package io.drplane.healthmonitor.publish;

import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves observations from the buffer to {@code dr.health.v1} on its own thread. At most {@code maxUnacknowledged}
 * records are with the producer at once; when Kafka is unreachable they stop being acknowledged, this thread stops
 * draining, and the bounded buffer takes the strain (dropping the oldest, counted). A record the producer gives up
 * on is put back in the buffer, not lost silently. Drops are logged at most once per report interval.
 */
public final class ObservationPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObservationPublisher.class);

    private final ObservationBuffer buffer;
    private final Producer<String, Event<?>> producer;
    private final Semaphore unacknowledged;
    private final Counter published;
    private final Counter sendFailures;
    private final Duration reportInterval;
    private final Thread thread;
    private volatile boolean running = true;
    private long droppedReported;
    private long lastReportNanos = System.nanoTime();

    public ObservationPublisher(
            ObservationBuffer buffer,
            Producer<String, Event<?>> producer,
            int maxUnacknowledged,
            MeterRegistry metrics,
            Duration reportInterval) {
        this.buffer = buffer;
        this.producer = producer;
        this.unacknowledged = new Semaphore(maxUnacknowledged);
        this.reportInterval = reportInterval;
        this.published = Counter.builder("drplane.health.observations.published")
                .description("observations acknowledged by Kafka")
                .register(metrics);
        this.sendFailures = Counter.builder("drplane.health.observations.send.failures")
                .description("sends that failed and were put back in the buffer")
                .register(metrics);
        metrics.gauge("drplane.health.buffer.depth", buffer, ObservationBuffer::depth);
        FunctionCounter.builder("drplane.health.observations.dropped", buffer, b -> b.dropped())
                .description("observations dropped because the buffer was full")
                .register(metrics);
        this.thread = new Thread(this::run, "health-observation-publisher");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                reportDrops();
                Event<?> event = buffer.take(200, TimeUnit.MILLISECONDS);
                if (event == null) {
                    continue;
                }
                if (!unacknowledged.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    buffer.putBack(event); // Kafka is not keeping up or not there: let the buffer hold it
                    continue;
                }
                send(event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void send(Event<?> event) {
        try {
            producer.send(
                    new ProducerRecord<>(TopicFamily.HEALTH.topic(), event.subject(), event), (metadata, error) -> {
                        unacknowledged.release();
                        if (error == null) {
                            published.increment();
                        } else {
                            sendFailures.increment();
                            buffer.putBack(event);
                        }
                    });
        } catch (KafkaException e) {
            // No metadata within max.block.ms, or the producer is closed: keep the observation and try again.
            unacknowledged.release();
            sendFailures.increment();
            buffer.putBack(event);
        }
    }

    private void reportDrops() {
        long now = System.nanoTime();
        if (now - lastReportNanos < reportInterval.toNanos()) {
            return;
        }
        lastReportNanos = now;
        long dropped = buffer.dropped();
        if (dropped > droppedReported) {
            LOG.warn(
                    "dropped {} observation(s) in the last {} s: the buffer of {} was full because Kafka is not taking them "
                            + "({} dropped since start)",
                    dropped - droppedReported,
                    reportInterval.toSeconds(),
                    buffer.capacity(),
                    dropped);
            droppedReported = dropped;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
    }
}

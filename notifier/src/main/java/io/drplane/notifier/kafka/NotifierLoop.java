package io.drplane.notifier.kafka;

import io.drplane.events.AlertStatus;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.NotificationChannel;
import io.drplane.events.NotificationDelivered;
import io.drplane.events.NotificationFailed;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.ConnectionRefusals;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.OffsetTracker;
import io.drplane.kafka.ReadToEnd;
import io.drplane.notifier.alert.AlertBook;
import io.drplane.notifier.alert.AlertView;
import io.drplane.notifier.alert.Dispatch;
import io.drplane.notifier.channel.Channel;
import io.drplane.notifier.delivery.Deliverer;
import io.drplane.plan.Plan;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier's shell: one consumer group over the decisions, backup and replication topics (keyed by group, so one
 * instance sees a group's whole story), the {@link AlertBook} on this thread, deliveries on a pool, and every outcome
 * an event on {@code dr.notifications.v1}. At start (and after a rebalance) the book learns from that topic what was
 * already sent, so a restart sends nothing twice. An input record is committed only once nothing it caused waits in a
 * group or is being sent: a crash re-reads it, and the book skips what was sent.
 */
public final class NotifierLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierLoop.class);
    public static final String GROUP_ID = "drplane-notifier";
    /** How long a stop waits for deliveries in flight. */
    private static final Duration DRAIN = Duration.ofSeconds(30);
    /** Sends queued or running before the loop stops reading. */
    private static final int MAX_IN_FLIGHT = 2_000;

    static final List<String> INPUTS =
            List.of(TopicFamily.DECISIONS.topic(), TopicFamily.BACKUP.topic(), TopicFamily.REPLICATION.topic());

    private final Plan plan;
    private final KafkaClientConfig kafka;
    private final String instance;
    private final URI source;
    private final DeadLetteringReader reader;
    private final Function<Dispatch, Channel> channels;
    private final Deliverer deliverer;
    private final Clock clock;
    private final ExecutorService pool;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final Map<TopicPartition, OffsetTracker> offsets = new HashMap<>();
    /** Input records not committable yet: what they caused waits in a group or is being sent. */
    private final Map<String, List<Position>> openEvents = new HashMap<>();

    private final Set<String> sending = new HashSet<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile AlertBook book;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile String stoppedBy;
    private volatile int firing;

    public NotifierLoop(
            Plan plan,
            KafkaClientConfig kafka,
            String instance,
            URI source,
            DeadLetteringReader reader,
            Function<Dispatch, Channel> channels,
            Deliverer deliverer,
            Clock clock,
            int workers) {
        this.plan = plan;
        this.kafka = kafka;
        this.instance = instance;
        this.source = source;
        this.reader = reader;
        this.channels = channels;
        this.deliverer = deliverer;
        this.clock = clock;
        this.pool = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "notify-" + instance);
            thread.setDaemon(true);
            return thread;
        });
        this.book = new AlertBook(plan);
    }

    private record Position(TopicPartition partition, long offset) {}

    private record Finished(Dispatch dispatch, Deliverer.Outcome outcome, Instant at) {}

    @Override
    public void run() {
        try (KafkaProducer<String, Event<?>> producer =
                        new KafkaProducer<>(kafka.eventProducer("notifier-" + instance));
                KafkaConsumer<String, byte[]> history = new KafkaConsumer<>(kafka.consumerProperties(null, null));
                KafkaConsumer<String, byte[]> inputs =
                        new KafkaConsumer<>(kafka.consumerProperties(GROUP_ID, "notifier-" + instance))) {
            consumer = inputs;
            rebuild(history);
            inputs.subscribe(INPUTS, new Rebalance(history));
            while (running.get()) {
                Instant now = clock.instant();
                Duration wait = book.nextDue()
                        .map(due -> Duration.between(now, due))
                        .filter(d -> d.compareTo(Duration.ofMillis(100)) < 0)
                        .map(d -> d.isNegative() ? Duration.ZERO : d)
                        .orElse(Duration.ofMillis(100));
                // Backpressure: a slow destination must not make the queue of sends grow without bound.
                if (inFlight.get() > MAX_IN_FLIGHT) {
                    inputs.pause(inputs.assignment());
                } else if (!inputs.paused().isEmpty()) {
                    inputs.resume(inputs.paused());
                }
                try {
                    for (ConsumerRecord<String, byte[]> record : inputs.poll(wait)) {
                        accept(record);
                    }
                } catch (WakeupException e) {
                    if (running.get()) {
                        throw e;
                    }
                    break;
                }
                book.due(clock.instant()).forEach(this::send);
                settle(producer);
                commit(inputs, false);
                firing = book.firingCount();
            }
            // Stopping: what is being sent finishes and goes on record, so the next instance does not send it again.
            pool.shutdown();
            if (!pool.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                // Not started yet: dropped, so the next instance sends them (their records are not committed).
                int dropped = pool.shutdownNow().size();
                LOG.warn(
                        "{} deliveries not started after {} s at stop are left to the next instance; those being sent"
                                + " now may be sent again",
                        dropped,
                        DRAIN.toSeconds());
            }
            settle(producer);
            producer.flush();
            commit(inputs, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (AuthenticationException | AuthorizationException e) {
            stoppedBy = ConnectionRefusals.describe(e, kafka, "notifier", "notifier")
                    .orElseThrow();
            LOG.error("notifier loop stopped: {}", stoppedBy); // one line: /health says the same
        } catch (RuntimeException e) {
            stoppedBy = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("notifier loop stopped", e);
            throw e;
        } finally {
            caughtUp.countDown();
            pool.shutdown();
        }
    }

    /** What was sent before, from {@code dr.notifications.v1}: never sent again. */
    private void rebuild(KafkaConsumer<String, byte[]> history) {
        AlertBook fresh = new AlertBook(plan);
        int[] read = {0};
        ReadToEnd.read(history, ReadToEnd.partitionsOf(history, TopicFamily.NOTIFICATIONS.topic()), record -> {
            try {
                EventData data = EventCodec.instance().decode(record.value()).data();
                if (data instanceof NotificationDelivered d) {
                    fresh.remember(d.route(), d.alertKey(), d.status(), d.eventIds(), true);
                    read[0]++;
                } else if (data instanceof NotificationFailed f) {
                    fresh.remember(f.route(), f.alertKey(), f.status(), f.eventIds(), false);
                    read[0]++;
                }
            } catch (Exception e) {
                LOG.warn(
                        "unreadable record in {} at {}-{}: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
            }
        });
        book = fresh;
        openEvents.clear();
        offsets.clear();
        LOG.info("{} notification(s) on record: none of them is sent again", read[0]);
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        OffsetTracker tracker = offsets.computeIfAbsent(partition, p -> new OffsetTracker());
        tracker.started(record.offset());
        Optional<Event<?>> event = reader.read(record);
        if (event.isEmpty()) {
            tracker.finished(record.offset()); // dead-lettered with its reason
            return;
        }
        openEvents
                .computeIfAbsent(event.get().id(), id -> new ArrayList<>())
                .add(new Position(partition, record.offset()));
        book.observe(event.get(), clock.instant()).forEach(this::send);
    }

    private void send(Dispatch dispatch) {
        Channel channel = channels.apply(dispatch);
        sending.addAll(dispatch.eventIds());
        inFlight.incrementAndGet();
        pool.execute(() -> {
            Deliverer.Outcome outcome =
                    deliverer.deliver(channel.destination(), channel.perSecond(), () -> channel.send(dispatch));
            finished.add(new Finished(dispatch, outcome, clock.instant()));
            inFlight.decrementAndGet();
        });
    }

    /** Deliveries that ended: the book learns of them, and each is an event. */
    private void settle(KafkaProducer<String, Event<?>> producer) {
        for (Finished done = finished.poll(); done != null; done = finished.poll()) {
            book.delivered(done.dispatch(), done.outcome().delivered());
            done.dispatch().eventIds().forEach(sending::remove);
            for (AlertView alert : done.dispatch().alerts()) {
                EventData data = outcome(done, alert);
                Event<?> event = Event.of(source, done.at(), data);
                producer.send(new ProducerRecord<>(TopicFamily.NOTIFICATIONS.topic(), event.subject(), event));
            }
            if (done.outcome().delivered()) {
                delivered.incrementAndGet();
            } else {
                failed.incrementAndGet();
                LOG.warn(
                        "notification to {} about {} failed after {} attempt(s): {}",
                        done.dispatch().route().name(),
                        done.dispatch().lead().key(),
                        done.outcome().attempts(),
                        done.outcome().error());
            }
        }
    }

    private static EventData outcome(Finished done, AlertView alert) {
        Dispatch dispatch = done.dispatch();
        NotificationChannel channel =
                NotificationChannel.valueOf(dispatch.route().channel().name());
        AlertStatus status = alert.status();
        if (done.outcome().delivered()) {
            return new NotificationDelivered(
                    dispatch.group(),
                    channel,
                    dispatch.route().name(),
                    alert.key(),
                    status,
                    alert.severity(),
                    alert.latest().id(),
                    alert.latest().type().typeName(),
                    dispatch.eventIds(),
                    done.outcome().attempts(),
                    done.at());
        }
        Reason reason = done.outcome().permanent()
                ? Reason.of(
                        ReasonCode.NOTIFICATION_REJECTED,
                        dispatch.route().name() + " refused the notification for good; fix the route (its address"
                                + " or credential) and the next change is sent.")
                : Reason.of(
                        ReasonCode.NOTIFICATION_RETRIES_EXHAUSTED,
                        dispatch.route().name() + " could not be reached in "
                                + done.outcome().attempts()
                                + " attempt(s); the next change of the alert is sent again.");
        return new NotificationFailed(
                dispatch.group(),
                channel,
                dispatch.route().name(),
                alert.key(),
                status,
                alert.severity(),
                alert.latest().id(),
                alert.latest().type().typeName(),
                dispatch.eventIds(),
                done.outcome().attempts(),
                done.outcome().error() == null ? "" : done.outcome().error(),
                done.at(),
                reason);
    }

    /** Commits past every record whose notifications are all sent (or given up on). */
    private void commit(KafkaConsumer<String, byte[]> inputs, boolean sync) {
        Set<String> waiting = book.waitingEventIds();
        for (var it = openEvents.entrySet().iterator(); it.hasNext(); ) {
            var open = it.next();
            if (!waiting.contains(open.getKey()) && !sending.contains(open.getKey())) {
                for (Position position : open.getValue()) {
                    OffsetTracker tracker = offsets.get(position.partition());
                    if (tracker != null) {
                        tracker.finished(position.offset());
                    }
                }
                it.remove();
            }
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((partition, tracker) ->
                tracker.committable().ifPresent(next -> commits.put(partition, new OffsetAndMetadata(next))));
        if (commits.isEmpty()) {
            return;
        }
        if (sync) {
            inputs.commitSync(commits, Duration.ofSeconds(10));
        } else {
            inputs.commitAsync(commits, null);
        }
    }

    /** After a rebalance the book starts again from what was sent: the partitions it holds may have changed. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> history;

        Rebalance(KafkaConsumer<String, byte[]> history) {
            this.history = history;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(consumer, true);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (caughtUp.getCount() == 0 && !partitions.isEmpty()) {
                rebuild(history); // the first assignment follows the rebuild at start
            }
            caughtUp.countDown();
        }
    }

    /** Whether the history is read and the input partitions are assigned: from now on no input waits for a join. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why the loop stopped, if it did: for {@code /health}. */
    public Optional<String> problem() {
        return Optional.ofNullable(stoppedBy).map(why -> "the loop stopped: " + why);
    }

    public long deliveredCount() {
        return delivered.get();
    }

    public long failedCount() {
        return failed.get();
    }

    /** Alerts firing now, as of the loop's last turn (for metrics: the book itself is the loop's alone). */
    public int firingCount() {
        return firing;
    }

    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}

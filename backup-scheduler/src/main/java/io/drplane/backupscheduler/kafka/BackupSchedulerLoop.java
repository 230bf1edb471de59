package io.drplane.backupscheduler.kafka;

import io.drplane.backupscheduler.run.GroupBackups;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.GroupEvent;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.ConnectionRefusals;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.ReadToEnd;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup scheduler's shell. Which instance schedules a group is Kafka's word, never a lock of our own: the
 * instances form the consumer group {@value #GROUP_ID} over {@code dr.backup.v1}, keyed by group, and an instance
 * schedules exactly the groups whose key falls in the partitions assigned to it. On an assignment it rebuilds each new
 * group from that group's events on the topic and from the AWS inventory; on a revocation it forgets the group before
 * the next tick. The loop ticks on this thread after every poll, so it never acts on a partition it no longer holds.
 */
public final class BackupSchedulerLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackupSchedulerLoop.class);
    public static final String GROUP_ID = "drplane-backup-scheduler";
    static final String TOPIC = TopicFamily.BACKUP.topic();

    private final Plan plan;
    private final KafkaClientConfig kafka;
    private final String instance;
    private final URI source;
    private final BiFunction<Group, Instant, GroupBackups> backups;
    private final Clock clock;
    private final Duration tickInterval;
    private final Duration sweepInterval;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Map<String, GroupBackups> owned = new TreeMap<>();
    private final Map<String, Instant> nextSweep = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final int parallelism;
    private final AtomicLong published = new AtomicLong();
    private volatile int ownedCount;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile String stoppedBy;

    public BackupSchedulerLoop(
            Plan plan,
            KafkaClientConfig kafka,
            String instance,
            URI source,
            BiFunction<Group, Instant, GroupBackups> backups,
            Clock clock,
            Duration tickInterval,
            Duration sweepInterval,
            int parallelism) {
        this.plan = plan;
        this.kafka = kafka;
        this.instance = instance;
        this.source = source;
        this.backups = backups;
        this.clock = clock;
        this.tickInterval = tickInterval;
        this.sweepInterval = sweepInterval;
        this.parallelism = parallelism;
        this.workers = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "backup-scheduler-group");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void run() {
        try (KafkaProducer<String, Event<?>> producer =
                        new KafkaProducer<>(kafka.eventProducer("backup-scheduler-" + instance));
                KafkaConsumer<String, byte[]> history = new KafkaConsumer<>(kafka.consumerProperties(null, null));
                KafkaConsumer<String, byte[]> membership =
                        new KafkaConsumer<>(kafka.consumerProperties(GROUP_ID, "backup-scheduler-" + instance))) {
            consumer = membership;
            membership.subscribe(List.of(TOPIC), new Ownership(history, producer));
            while (running.get()) {
                try {
                    // the records are this scheduler's own events: it reads them only on an assignment (history)
                    membership.poll(tickInterval);
                } catch (WakeupException e) {
                    if (running.get()) {
                        throw e;
                    }
                    break;
                }
                Instant now = clock.instant();
                // groups are independent, and their AWS calls block: they tick side by side, each on one thread at a
                // time (so its events keep their order), and all are done before the next poll may revoke one
                List<Future<?>> ticks = new ArrayList<>(owned.size());
                // a sweep lists AWS: a new owner of a thousand groups sweeps them a few per cycle, not all in one
                int sweeps = parallelism;
                for (GroupBackups group : owned.values()) {
                    boolean sweep = sweeps > 0 && !now.isBefore(nextSweep.getOrDefault(group.groupId(), Instant.MIN));
                    if (sweep) {
                        sweeps--;
                    }
                    ticks.add(workers.submit(() -> tick(group, now, sweep, producer)));
                }
                awaitAll(ticks);
                producer.flush();
            }
        } catch (AuthenticationException | AuthorizationException e) {
            stoppedBy = ConnectionRefusals.describe(e, kafka, "backup-scheduler", "backup scheduler")
                    .orElseThrow();
            LOG.error("backup scheduler loop stopped: {}", stoppedBy);
        } catch (RuntimeException e) {
            stoppedBy = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("backup scheduler loop stopped", e);
            throw e;
        } finally {
            workers.shutdown(); // after the last cycle: a cycle in flight still has its threads
            assigned.countDown();
        }
    }

    private void tick(GroupBackups group, Instant now, boolean sweep, KafkaProducer<String, Event<?>> producer) {
        publish(producer, group.tick(now));
        if (sweep) {
            publish(producer, group.sweep(now));
            nextSweep.put(group.groupId(), now.plus(sweepInterval));
        }
    }

    private static void awaitAll(List<Future<?>> ticks) {
        for (Future<?> tick : ticks) {
            try {
                tick.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the groups ticked", e);
            }
        }
    }

    private void publish(KafkaProducer<String, Event<?>> producer, List<GroupEvent> events) {
        for (GroupEvent data : events) {
            Event<?> event = Event.of(source, clock.instant(), data);
            producer.send(new ProducerRecord<>(TopicFamily.topicFor(data), event.subject(), event));
            published.incrementAndGet();
        }
    }

    /** The groups whose key lands in {@code partitions}, as the producer's default partitioner places them. */
    private List<Group> groupsIn(Collection<TopicPartition> partitions, int partitionCount) {
        Set<Integer> numbers = new HashSet<>();
        partitions.stream().filter(p -> p.topic().equals(TOPIC)).forEach(p -> numbers.add(p.partition()));
        List<Group> groups = new ArrayList<>();
        for (Group group : plan.groups()) {
            if (group.backup() != null && numbers.contains(partitionOf(group.id(), partitionCount))) {
                groups.add(group);
            }
        }
        return groups;
    }

    static int partitionOf(String key, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    private final class Ownership implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> history;
        private final KafkaProducer<String, Event<?>> producer;

        Ownership(KafkaConsumer<String, byte[]> history, KafkaProducer<String, Event<?>> producer) {
            this.history = history;
            this.producer = producer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            int count = history.partitionsFor(TOPIC, Duration.ofSeconds(30)).size();
            for (Group group : groupsIn(partitions, count)) {
                if (owned.remove(group.id()) != null) {
                    nextSweep.remove(group.id());
                    LOG.info("no longer schedules the backups of {}", group.id());
                }
            }
            ownedCount = owned.size();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                int count = history.partitionsFor(TOPIC, Duration.ofSeconds(30)).size();
                List<Group> groups = groupsIn(partitions, count);
                rebuild(groups, partitions);
            }
            ownedCount = owned.size();
            assigned.countDown();
        }

        /** Each new group's past, from its events on the topic: what it started, missed, completed and copied. */
        private void rebuild(List<Group> groups, Collection<TopicPartition> partitions) {
            Instant now = clock.instant();
            Map<String, List<Map.Entry<EventData, Instant>>> past = new HashMap<>();
            Set<String> wanted = new HashSet<>();
            groups.forEach(g -> wanted.add(g.id()));
            int[] unreadable = {0};
            ReadToEnd.read(history, List.copyOf(partitions), (ConsumerRecord<String, byte[]> record) -> {
                if (!wanted.contains(record.key())) {
                    return;
                }
                try {
                    Event<?> event = EventCodec.instance().decode(record.value());
                    past.computeIfAbsent(record.key(), k -> new ArrayList<>())
                            .add(Map.entry(event.data(), event.time()));
                } catch (Exception e) {
                    unreadable[0]++;
                }
            });
            for (Group group : groups) {
                List<Map.Entry<EventData, Instant>> events = past.getOrDefault(group.id(), List.of());
                // a group with a past was scheduled before: it counts from its first event, so runs due while no
                // instance owned it are reported missed; a group without one starts now
                Instant activated = events.stream()
                        .map(Map.Entry::getValue)
                        .min(Instant::compareTo)
                        .filter(first -> first.isBefore(now))
                        .orElse(now);
                GroupBackups backups = BackupSchedulerLoop.this.backups.apply(group, activated);
                for (Map.Entry<EventData, Instant> e : events) {
                    try {
                        backups.remember(e.getKey(), e.getValue());
                    } catch (RuntimeException ex) {
                        // an event of an older plan (a rule or resource since renamed): the inventory tells the rest
                        unreadable[0]++;
                        LOG.warn("skipped a past event of {} while rebuilding: {}", group.id(), ex.getMessage());
                    }
                }
                owned.put(group.id(), backups);
                nextSweep.put(group.id(), now); // the first tick reads the inventory
                LOG.info(
                        "schedules the backups of {} ({} past event(s){})",
                        group.id(),
                        events.size(),
                        unreadable[0] == 0 ? "" : ", " + unreadable[0] + " unreadable record(s) skipped");
            }
        }
    }

    /** Whether the first assignment happened (the groups this instance owns are rebuilt). */
    public boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int ownedGroups() {
        return ownedCount;
    }

    public long publishedCount() {
        return published.get();
    }

    /** Why the loop stopped, if it did: for {@code /health}. */
    public Optional<String> problem() {
        return Optional.ofNullable(stoppedBy).map(why -> "the loop stopped: " + why);
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

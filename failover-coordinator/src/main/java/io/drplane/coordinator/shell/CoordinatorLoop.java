package io.drplane.coordinator.shell;

import io.drplane.coordinator.decider.Decider;
import io.drplane.coordinator.decider.Decision;
import io.drplane.coordinator.decider.StateCodec;
import io.drplane.coordinator.decider.GroupState;
import io.drplane.coordinator.replay.JournalBatch;
import io.drplane.events.CoordinatorTicked;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.kafka.DeadLetteringReader;
import io.drplane.events.kafka.KafkaSettings;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Kafka shell around the decider: read-process-write in Kafka transactions ({@code read_committed} in,
 * transactional out), so each transaction's decisions, commands, journal entries, state snapshots and consumed offsets
 * commit together or not at all, and an instance that lost its partitions is fenced. The input topics are
 * co-partitioned (12 partitions, keyed by group) and assigned with the range assignor, so partition i of every
 * input lands on the same instance, which owns the groups that hash to i. On assignment it restores those groups
 * from the compacted snapshot topic.
 */
public final class CoordinatorLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLoop.class);

    public static final List<String> INPUTS = List.of(TopicFamily.HEALTH.topic(), TopicFamily.REPLICATION.topic(),
            TopicFamily.BACKUP.topic(), TopicFamily.OPERATOR.topic(), TopicFamily.COMMAND_RESULTS.topic(), TopicFamily.TICKS.topic());

    private final Plan plan;
    private final Decider decider;
    private final String bootstrapServers;
    private final String instance;
    private final URI source;
    private final DeadLetteringReader reader;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    /**
     * Every group of the plan, each with its state as decided (open transaction included) and as last snapshotted: one
     * lookup per input, none per group of a tick, where six maps by group id cost a fifth of the loop's time in hashing.
     * The loop's thread only.
     */
    private final Map<String, Slot> slots = new HashMap<>();
    /**
     * Each owned group's state as of the last commit, for the API: what an aborted transaction decided is never
     * shown, and the state agrees with the timelines. Written by the loop's thread, read by the API's.
     */
    private final Map<String, GroupState> committed = new java.util.concurrent.ConcurrentHashMap<>();
    /** The plan's groups by input partition: a tick on partition i is for these (plan lookups are linear; this is not). */
    private final Map<Integer, List<Slot>> slotsByPartition = new HashMap<>();
    /** The same by group id, for the restore, which keeps states of its own. */
    private final Map<Integer, List<String>> groupsByPartition = new HashMap<>();
    /** The latest decisions per group, newest last, for people (the HTTP API); bounded. */
    private final Map<String, java.util.Deque<Event<?>>> timelines = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int TIMELINE = 200;
    private final Set<Integer> owned = new HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /**
     * Per owned input partition, the first offset not committed yet. With the open transaction's offsets over it, what
     * a snapshot written at its commit holds, so that a takeover decides again only the journaled inputs after it.
     */
    private final Map<TopicPartition, Long> committedTo = new HashMap<>();
    /** Per owned partition, the journal's end as of the last commit: every input since then is journaled after it. */
    private final Map<Integer, Long> journalEnds = new HashMap<>();
    private final Restore restore;
    static final long SNAPSHOT_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();
    /** Inputs decided after one that produced a command before the transaction commits (see {@link CommitSchedule}). */
    static final int INPUTS_AFTER_A_COMMAND = 128;
    /** How long a transaction without a command stays open (see {@link CommitSchedule}). */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    /** Inputs per transaction at most, so an abort after a backlog does not redo a great deal. */
    static final int MAX_INPUTS_PER_TRANSACTION = 10_000;
    private final CommitSchedule schedule;
    /** The producer's batch size; a journal record stays under it with room for the batch's own overhead. */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;
    static final int JOURNAL_RECORD_BYTES = 192 * 1024;
    private static final byte[] JOURNAL_FORMAT = JournalBatch.FORMAT.getBytes(StandardCharsets.UTF_8);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    /** How long the broker waits for a silent instance before its partitions go to another (see consumerConfig). */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** How long a transaction may stay open before the broker aborts it (see the producer's configuration). */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    /** The transaction open now, null between transactions; only the loop's thread touches it. */
    private OpenTransaction open;
    /**
     * The largest input (key and value) decided. Each is journaled in a record of its own at most, with its topic and
     * offset, and that record must fit the producer's max.request.size (1 MB): an input near the broker's 1 MB limit
     * would fail every commit holding it. drplane's inputs are a few hundred bytes; half a megabyte leaves the
     * framing and any header room.
     */
    static final int MAX_INPUT_BYTES = 512 * 1024;
    /** Time-only snapshot refreshes written per transaction at most. */
    static final int MAX_REFRESHES_PER_TRANSACTION = 100;
    private volatile boolean fenced;
    private final DeadLetteringReader.Sink deadLetters = this::deadLetterInTransaction;
    private final java.util.concurrent.atomic.AtomicLong aborted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong restoredGroups = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong replayedInputs = new java.util.concurrent.atomic.AtomicLong();

    public CoordinatorLoop(Plan plan, String bootstrapServers, String instance, DeadLetteringReader reader) {
        this(plan, bootstrapServers, instance, reader, COMMIT_INTERVAL);
    }

    /** A loop whose transactions without a command stay open for {@code commitInterval}. */
    CoordinatorLoop(Plan plan, String bootstrapServers, String instance, DeadLetteringReader reader, Duration commitInterval) {
        this.schedule = new CommitSchedule(commitInterval, INPUTS_AFTER_A_COMMAND, MAX_INPUTS_PER_TRANSACTION);
        this.plan = plan;
        this.decider = new Decider(plan);
        for (Group group : plan.groups()) {
            Slot slot = new Slot(group.id(), partitionOf(group.id()));
            slots.put(group.id(), slot);
            slotsByPartition.computeIfAbsent(slot.partition, p -> new ArrayList<>()).add(slot);
            groupsByPartition.computeIfAbsent(slot.partition, p -> new ArrayList<>()).add(slot.group);
        }
        this.bootstrapServers = bootstrapServers;
        this.instance = instance;
        this.source = Event.sourceOf("failover-coordinator", instance);
        this.reader = reader;
        Properties restoreConfig = consumerConfig(bootstrapServers);
        restoreConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.restore = new Restore(restoreConfig, decider, slots::containsKey, this::groupsOf);
        this.consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers));
        this.producer = new KafkaProducer<>(producerConfig(bootstrapServers, instance));
    }

    /** The transactional producer of the instance {@code instance}: its decisions, commands, journal, snapshots and offsets. */
    static Properties producerConfig(String bootstrapServers, String instance) {
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "drplane-failover-coordinator-" + instance);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A send into a partition whose previous transaction marker is still being written is answered
        // CONCURRENT_TRANSACTIONS and retried after the backoff; the marker takes milliseconds, and the default backoff
        // (100 ms) would land on a decision's latency. Retry soon; the backoff still grows if it lasts.
        producerConfig.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 2);
        producerConfig.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
        // Uncompressed: lz4 allocated two 64 KB block buffers for every batch it compressed, and a transaction writes a
        // batch to every partition it touches in four topics. At 10,000 inputs a second that was 13% of everything the
        // JVM allocated, broker included, and the broker had to decompress each batch again to check it. The journal
        // repeats every input, so it takes more disk; a collection less often is worth more to a decision's latency.
        producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // Room for a whole journal record in one batch: the producer takes batches of this size from its pool and
        // allocates a fresh buffer for any record that does not fit, which at 10,000 inputs a second was a third of
        // the loop's garbage.
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, PRODUCER_BATCH_BYTES);
        // A transaction of an instance that died stays open until this timeout, and until the broker aborts it no
        // read_committed reader sees past it on the partitions it wrote: the commands its successor issues would wait
        // behind it (the default is a minute). The loop's own transactions last about 100 ms.
        producerConfig.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return producerConfig;
    }

    static Properties consumerConfig(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "drplane-failover-coordinator");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        // The groups of an instance that died are decided by nobody until the broker gives up on its session: the
        // client's default of 45 s would add that to every failover that coincides with a coordinator's crash.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis() / 3);
        // A backlog (after a takeover, say) is read in large polls; CommitSchedule decides where transactions end.
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        // The default fetch wait: a 20 ms one had hidden the receive buffer's stalls by keeping responses small; with the
        // OS sizing the buffer the default measures the same, and an idle coordinator does not fetch 50 times a second.
        config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, KafkaSettings.CONSUMER_RECEIVE_BUFFER_BYTES);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /** The input partition a group's events go to (Kafka's default partitioner on the group key). */
    public static int partitionOf(String group) {
        return io.drplane.coordinator.replay.JournalReader.partitionOf(group);
    }

    /** The partitions this instance owns now. */
    public synchronized Set<Integer> owned() {
        return Set.copyOf(owned);
    }

    @Override
    public void run() {
        producer.initTransactions();
        consumer.subscribe(INPUTS, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                try {
                    finish(); // the next owner starts from what is committed: commit what was decided here first
                } catch (ProducerFencedException e) {
                    fencedOff(e); // thrown out of a rebalance callback it would also fail the consumer's close
                }
                forget(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                // Another member may own them already: this instance's offsets would be refused, so nothing is committed.
                if (open != null && !fenced) {
                    try {
                        abort(List.of());
                    } catch (ProducerFencedException e) {
                        fencedOff(e);
                    }
                }
                dropOpen();
                forget(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                Set<Integer> added = new HashSet<>();
                partitions.forEach(p -> added.add(p.partition()));
                restore(added);
                // Where each partition's committed input ends: the snapshots this instance writes hold its inputs up to there.
                consumer.committed(Set.copyOf(partitions)).forEach((partition, offset) ->
                        committedTo.put(partition, offset == null ? 0L : offset.offset()));
                synchronized (CoordinatorLoop.this) {
                    owned.addAll(added);
                }
            }
        });
        try {
            try {
                while (running.get()) {
                    process(consumer.poll(pollTimeout()));
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // close() woke the consumer up: stop
            }
            finish(); // stopped: what was decided is committed, not decided again by the next owner
        } catch (ProducerFencedException e) {
            fencedOff(e);
        } catch (RuntimeException e) {
            LOG.error("the coordinator loop stopped; /health reports DOWN so the service is restarted", e);
            throw e;
        } finally {
            consumer.close();
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Drops what this instance kept of partitions it no longer owns. */
    private void forget(Collection<TopicPartition> partitions) {
        synchronized (this) {
            partitions.forEach(p -> owned.remove(p.partition()));
            committed.keySet().removeIf(group -> !owned.contains(partitionOf(group)));
        }
        for (Slot slot : slots.values()) {
            if (!owned.contains(slot.partition)) {
                slot.forget();
            }
        }
        partitions.forEach(committedTo::remove);
        journalEnds.keySet().removeIf(p -> !owned.contains(p));
    }

    /** How long a poll may wait: until the open transaction is due, or a while when none is open. */
    private Duration pollTimeout() {
        if (open == null) {
            return IDLE_POLL;
        }
        return schedule.pollTimeout(System.nanoTime());
    }

    /**
     * Another instance with the same transactional id took over: the open transaction can be neither committed nor
     * aborted by this one (the broker aborts it), and the loop stops.
     */
    private void fencedOff(ProducerFencedException e) {
        if (!fenced) {
            LOG.warn("fenced: another coordinator instance took over ({}); stopping", e.getMessage());
        }
        fenced = true;
        dropOpen();
        running.set(false);
    }

    /**
     * The message of a failure and of each of its causes: a failed send leaves the producer in an error state, and the
     * exception that reports it ("in an error state") names the send's failure only as its cause.
     */
    static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) { // a cycle ends at 10
            text.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    /** Commits the open transaction, if any; aborts it when the commit fails. */
    private void finish() {
        if (open == null || fenced) {
            dropOpen();
            return;
        }
        try {
            commit();
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            LOG.warn("transaction aborted, its inputs will be read again: {}", causes(e));
            abort(List.of());
        }
    }

    /** Decides a poll's records in the open transaction, beginning one if none is open, and commits as {@link CommitSchedule} says. */
    private void process(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        int next = 0;
        try {
            while (next < all.size()) {
                if (open == null) {
                    open = new OpenTransaction();
                    schedule.began(System.nanoTime());
                    producer.beginTransaction();
                }
                schedule.decided(decide(all.get(next++)));
                if (schedule.dueWithinPoll()) {
                    commit();
                }
            }
            if (open != null && schedule.dueAtEndOfPoll(System.nanoTime())) {
                commit();
            }
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            LOG.warn("transaction aborted, its inputs will be read again: {}", causes(e));
            abort(all.subList(next, all.size()));
        }
    }

    /** Decides one input in the open transaction; true when a decision sent a command. */
    private boolean decide(ConsumerRecord<String, byte[]> record) {
        OpenTransaction tx = open;
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        tx.offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
        tx.firstOffsets.putIfAbsent(partition, record.offset());
        int size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        if (size > MAX_INPUT_BYTES) {
            reader.refuse(record, "an input of " + size + " bytes is over the " + MAX_INPUT_BYTES + " bytes the coordinator takes:"
                    + " every input it decides is journaled, and a journal record must fit the producer's request size", deadLetters);
            return false;
        }
        Optional<Event<?>> event = reader.read(record, deadLetters);
        if (event.isEmpty()) {
            return false; // dead-lettered; the group's decisions go on
        }
        String subject = event.get().subject();
        if (!(event.get().data() instanceof CoordinatorTicked) && slots.containsKey(subject) && !subject.equals(record.key())) {
            reader.refuse(record, "the input is keyed '" + record.key() + "' but is about group '" + subject + "': inputs are keyed by"
                    + " their group, so that a group's inputs reach the instance that owns its state; decided here, it could change a"
                    + " state another instance owns", deadLetters);
            return false;
        }
        tx.journal.computeIfAbsent(record.partition(), p -> new ArrayList<>())
                .add(new JournalBatch.Entry(record.topic(), record.offset(), record.key(), record.value()));
        boolean commanded = false;
        for (Slot slot : slotsOf(event.get(), record.partition())) {
            if (!slot.touched) {
                slot.touched = true;
                slot.before = slot.state;
                tx.touched.add(slot);
            }
            GroupState state = slot.state != null ? slot.state : decider.initial(slot.group, event.get().time());
            Decision decision = decider.decide(state, event.get());
            slot.state = decision.state();
            markForSnapshot(tx, slot, decision.clockOnly());
            commanded |= publish(event.get(), decision);
        }
        return commanded;
    }

    /** Commits the open transaction: its journal, snapshots and consumed offsets go with its decisions and commands. */
    private void commit() {
        OpenTransaction tx = open;
        tx.journal.forEach((partition, entries) -> tx.journaled.put(partition, journal(partition, entries)));
        snapshot(tx);
        producer.sendOffsetsToTransaction(tx.offsets, consumer.groupMetadata());
        producer.commitTransaction();
        open = null;
        long now = System.nanoTime();
        for (Slot slot : tx.marked) {
            slot.marked = false;
            slot.snapshotted = slot.state;
            slot.snapshottedAt = now;
        }
        tx.journaled.forEach((partition, last) -> endAfter(last).ifPresent(end -> journalEnds.put(partition, end)));
        tx.offsets.forEach((partition, offset) -> committedTo.put(partition, offset.offset()));
        showOnTimelines(tx.decided);
        for (Slot slot : tx.touched) { // the groups it changed
            slot.touched = false;
            slot.before = null;
            committed.put(slot.group, slot.state);
        }
    }

    /**
     * Aborts the open transaction, puts back the states it changed and seeks every partition it read, and every
     * partition of {@code undecided} (records polled but not decided yet), to its first record not committed.
     */
    private void abort(List<ConsumerRecord<String, byte[]>> undecided) {
        OpenTransaction tx = open;
        open = null;
        Map<TopicPartition, Long> first = new HashMap<>();
        if (tx != null) {
            putBack(tx); // first: the states go back even if the abort throws
            producer.abortTransaction();
            aborted.incrementAndGet();
            first.putAll(tx.firstOffsets);
        }
        for (ConsumerRecord<String, byte[]> record : undecided) {
            first.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
        Set<TopicPartition> assigned = consumer.assignment();
        first.forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    /** Puts back the states the transaction changed, which it will not commit. */
    private static void putBack(OpenTransaction tx) {
        for (Slot slot : tx.touched) {
            slot.state = slot.before;
            slot.before = null;
            slot.touched = false;
        }
        tx.marked.forEach(slot -> slot.marked = false);
    }

    /** Forgets the open transaction, which this instance can no longer commit or abort, and puts back what it changed. */
    private void dropOpen() {
        if (open != null) {
            putBack(open);
            open = null;
        }
    }

    /** What the open transaction has read and changed, to commit together or put back if it aborts. */
    private static final class OpenTransaction {
        /** The groups it changed, each holding its state before the transaction (cheaper than copying every group's state). */
        final List<Slot> touched = new ArrayList<>();
        /** The groups to snapshot at the commit, in their state then. */
        final List<Slot> marked = new ArrayList<>();
        /** Snapshots marked only because the last one is old. */
        int refreshes;
        final Map<Integer, List<JournalBatch.Entry>> journal = new TreeMap<>();
        /** Per partition, the send of its last journal record, which says where the journal ends once committed. */
        final Map<Integer, Future<RecordMetadata>> journaled = new HashMap<>();
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        /** The decisions (not breaker moves) sent, for the timelines once committed. */
        final List<Event<?>> decided = new ArrayList<>();
    }

    /**
     * Marks the group's new state for a snapshot in this transaction when decisions could differ from its last
     * snapshot's, or, a few per transaction, when that snapshot is older than the interval. Checked as each input is
     * decided rather than at the commit, so the commit of a transaction holding a command does not first compare
     * every state the transaction touched (2-6 ms for the thousand or so of a 100 ms transaction at 10,000 events/s).
     */
    private void markForSnapshot(OpenTransaction tx, Slot slot, boolean clockOnly) {
        if (slot.marked) {
            return; // marked already: the snapshot is of its state at the commit
        }
        if (slot.snapshotted == null || (!clockOnly && !slot.state.sameDecisionsAs(slot.snapshotted))) {
            slot.marked = true;
            tx.marked.add(slot);
        } else if (tx.refreshes < MAX_REFRESHES_PER_TRANSACTION && System.nanoTime() - slot.snapshottedAt > SNAPSHOT_INTERVAL_NANOS) {
            // Refreshed also when only the clock moved, because a takeover decides again every input since the
            // snapshot. Not urgent: a few per transaction, so groups that came due together (all of them, a snapshot
            // interval after start) do not make one transaction write every state and stall the loop.
            slot.marked = true;
            tx.marked.add(slot);
            tx.refreshes++;
        }
    }

    /**
     * Writes the snapshots the transaction marked: each group's state as the transaction leaves it, with its position
     * in the input and in the journal (see {@link SnapshotPosition}).
     */
    private void snapshot(OpenTransaction tx) {
        Map<Integer, SnapshotPosition> positions = new HashMap<>();
        for (Slot slot : tx.marked) {
            SnapshotPosition position = positions.computeIfAbsent(slot.partition, p -> positionOf(tx, p));
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(TopicFamily.COORDINATOR_SNAPSHOTS.topic(), slot.group,
                    StateCodec.encode(slot.state));
            position.addTo(record.headers());
            producer.send(record);
        }
    }

    /**
     * Where the states of a partition's groups stand as the transaction commits: the inputs decided (its offsets, or
     * the last commit's where it read nothing), and the journal as of the last commit.
     */
    private SnapshotPosition positionOf(OpenTransaction tx, int partition) {
        Map<String, Long> inputsFrom = new LinkedHashMap<>();
        for (String topic : INPUTS) {
            TopicPartition input = new TopicPartition(topic, partition);
            OffsetAndMetadata decided = tx.offsets.get(input);
            inputsFrom.put(topic, decided != null ? decided.offset() : committedTo.getOrDefault(input, 0L));
        }
        return new SnapshotPosition(journalEnds.getOrDefault(partition, 0L), inputsFrom);
    }

    /**
     * The offset after a committed journal record: its transaction committed, so its send is complete. Empty if it
     * cannot be read, and the partition's journal end stays where it was: an earlier end only makes a takeover read
     * more of the journal, where throwing here, after the commit, would abort a committed transaction.
     */
    private static java.util.OptionalLong endAfter(Future<RecordMetadata> send) {
        try {
            return java.util.OptionalLong.of(send.get(0, java.util.concurrent.TimeUnit.MILLISECONDS).offset() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("the end of a committed journal record is unknown ({}); the journal end stays where it was", e.getMessage());
        }
        return java.util.OptionalLong.empty();
    }

    /** The groups an event is about: its group, or for a tick every owned group of the tick's partition. */
    private List<Slot> slotsOf(Event<?> event, int partition) {
        if (event.data() instanceof CoordinatorTicked) {
            return slotsByPartition.getOrDefault(partition, List.of());
        }
        Slot slot = slots.get(event.subject());
        return slot == null ? List.of() : List.of(slot);
    }

    /**
     * {@link #slotsOf}, by group id, for the restore: it decides the journal as the loop decided it. The lists are the
     * loop's own, not copies: the restore goes through hundreds of thousands of journaled inputs, a tick's every group.
     */
    private List<String> groupsOf(Event<?> event, int partition) {
        if (event.data() instanceof CoordinatorTicked) {
            return groupsByPartition.getOrDefault(partition, List.of());
        }
        return slots.containsKey(event.subject()) ? List.of(event.subject()) : List.of();
    }

    /** One group of the plan, as this instance holds it; the loop's thread only. */
    private static final class Slot {
        final String group;
        final int partition;
        /** As decided, the open transaction included; null while not owned or never decided. */
        GroupState state;
        /** The state last snapshotted and when ({@link System#nanoTime()}): a snapshot is written when decisions could differ, or every interval. */
        GroupState snapshotted;
        long snapshottedAt;
        /** Changed by the open transaction, which puts {@link #before} back if it aborts. */
        boolean touched;
        GroupState before;
        /** To be snapshotted at the open transaction's commit. */
        boolean marked;

        Slot(String group, int partition) {
            this.group = group;
            this.partition = partition;
        }

        /** Its partition went to another instance. */
        void forget() {
            state = null;
            snapshotted = null;
            snapshottedAt = 0;
            touched = false;
            before = null;
            marked = false;
        }
    }

    /** Sends the decision's events; true when one of them is a command. */
    private boolean publish(Event<?> input, Decision decision) {
        boolean commanded = false;
        List<EventData> emitted = decision.emitted();
        Instant time = decision.state().now();
        for (int i = 0; i < emitted.size(); i++) {
            EventData data = emitted.get(i);
            // Deterministic ids: replaying the same input gives the same events, ids included.
            Event<?> event = new Event<>(io.drplane.coordinator.replay.Replayer.idOf(input, decision.state().group(), i), source, time, data);
            producer.send(new ProducerRecord<>(TopicFamily.topicFor(data), event.subject(), EventCodec.instance().encode(event)));
            commanded |= data instanceof io.drplane.events.Command;
            if (!(data instanceof io.drplane.events.BreakerTransitioned)) {
                open.decided.add(event); // shown once its transaction commits: an aborted one is decided again
            }
        }
        return commanded;
    }

    /** Adds committed decisions to their groups' timelines, the API's view, keeping the latest {@link #TIMELINE} of each. */
    private void showOnTimelines(List<Event<?>> committed) {
        for (Event<?> event : committed) {
            java.util.Deque<Event<?>> timeline = timelines.computeIfAbsent(event.subject(), g -> new java.util.ArrayDeque<>());
            synchronized (timeline) {
                timeline.addLast(event);
                if (timeline.size() > TIMELINE) {
                    timeline.removeFirst();
                }
            }
        }
    }

    /** The inputs taken from one partition in this transaction, as journal records on the same partition; the last one's send. */
    private Future<RecordMetadata> journal(int partition, List<JournalBatch.Entry> entries) {
        Future<RecordMetadata> last = null;
        for (byte[] value : JournalBatch.encode(entries, JOURNAL_RECORD_BYTES)) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(TopicFamily.COORDINATOR_JOURNAL.topic(), partition,
                    null, value);
            record.headers().add(JournalBatch.FORMAT_HEADER, JOURNAL_FORMAT);
            last = producer.send(record);
        }
        return last;
    }

    /** Restores every group of the given partitions as its last owner committed it (see {@link Restore}). */
    private void restore(Set<Integer> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Restore.Restored restored = restore.restore(partitions, System.currentTimeMillis());
        restored.states().forEach((group, state) -> slots.get(group).state = state);
        synchronized (this) {
            committed.putAll(restored.states());
        }
        journalEnds.putAll(restored.journalEnds());
        restoredGroups.addAndGet(restored.states().size());
        replayedInputs.addAndGet(restored.replayed());
        long now = System.nanoTime();
        restored.snapshots().forEach((group, state) -> {
            Slot slot = slots.get(group);
            slot.snapshotted = state;
            slot.snapshottedAt = now - Duration.ofMillis(restored.snapshotAges().get(group)).toNanos();
        });
        LOG.info("instance {} owns partitions {}", instance, partitions);
    }

    /**
     * Dead letters go into the open transaction, with the offset that moves past their input: an aborted transaction
     * reads the input again and leaves no dead letter of it, where a separate producer's write stayed and was made again.
     */
    private void deadLetterInTransaction(ProducerRecord<byte[], byte[]> dead) {
        producer.send(new ProducerRecord<>(dead.topic(), null, null, dead.key() == null ? null : new String(dead.key(), StandardCharsets.UTF_8),
                dead.value(), dead.headers()));
    }

    /** Transactions aborted since the loop started (a failed send or commit); their inputs were decided again. */
    public long abortedTransactions() {
        return aborted.get();
    }

    /** Groups restored on partition assignment since the loop started. */
    public long restoredGroups() {
        return restoredGroups.get();
    }

    /** Journaled inputs decided again on partition assignment since the loop started (see {@link Restore}). */
    public long replayedInputs() {
        return replayedInputs.get();
    }

    /** True when another instance with the same transactional id fenced this one off; it has stopped. */
    public boolean fenced() {
        return fenced;
    }

    /** The group's latest decisions (not breaker moves), oldest first. */
    public List<Event<?>> timeline(String group) {
        java.util.Deque<Event<?>> timeline = timelines.get(group);
        if (timeline == null) {
            return List.of();
        }
        synchronized (timeline) {
            return List.copyOf(timeline);
        }
    }

    /** The group's state as of the last commit (see {@link #committed}). */
    public Optional<GroupState> state(String group) {
        return Optional.ofNullable(committed.get(group));
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}

package io.drplane.coordinator.kafka;

import io.drplane.coordinator.decider.Decider;
import io.drplane.coordinator.decider.Decision;
import io.drplane.coordinator.state.GroupState;
import io.drplane.events.Event;
import io.drplane.events.Reason;
import io.drplane.kafka.ConnectionRefusals;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.RecordSignatures;
import io.drplane.kafka.journal.JournalBatch;
import io.drplane.plan.Plan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Kafka shell around the decider: read-process-write in Kafka transactions ({@code read_committed} in,
 * transactional out), so each transaction's decisions, commands, journal entries, state snapshots and consumed offsets
 * commit together or not at all, and an instance that lost its partitions is fenced. The inputs are co-partitioned and
 * assigned with the range assignor (see {@link CoordinatorClients}), so partition i of every input lands on the same
 * instance, which owns the groups that hash to i; on assignment it restores them (see {@link Restore}). Its parts:
 * {@link OpenTransaction} (what a transaction changed), {@link SnapshotPolicy} and {@link TransactionWriter} (journal
 * and snapshots), {@link CommitSchedule} (when to commit), {@link ReadModel} (what the API shows).
 */
public final class CoordinatorLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLoop.class);

    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    private final Decider decider;
    private final String instance;
    private final InputGate gate;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final TransactionWriter writer;
    private final CommitSchedule schedule;
    private final Restore restore;
    private final ReadModel view = new ReadModel();
    private final GroupSlots slots;
    private final DecisionPublisher publisher;
    private final Rebalance rebalance;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** The transaction open now, null between transactions; only the loop's thread touches it. */
    private OpenTransaction open;

    private volatile boolean fenced;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile String stoppedBy;
    private final DeadLetteringReader.Sink deadLetters;
    private final AtomicLong aborted = new AtomicLong();
    /** Where and how the loop connects, for a refusal to say (no secret is in what it says). */
    private final KafkaClientConfig kafka;

    /**
     * @param operatorKeys the keys an operator event must be signed with (see {@link RecordSignatures})
     * @param commandKeys  the keys it signs its commands with, which the executors verify
     */
    public CoordinatorLoop(
            Plan plan,
            KafkaClientConfig kafka,
            String instance,
            DeadLetteringReader reader,
            RecordSignatures operatorKeys,
            RecordSignatures commandKeys) {
        this(
                plan,
                kafka,
                instance,
                reader,
                operatorKeys,
                commandKeys,
                Clock.systemUTC(),
                CommitSchedule.COMMIT_INTERVAL);
    }

    /** A loop whose clock (the decider's time for each input) is {@code clock}. */
    public CoordinatorLoop(
            Plan plan,
            KafkaClientConfig kafka,
            String instance,
            DeadLetteringReader reader,
            RecordSignatures operatorKeys,
            RecordSignatures commandKeys,
            Clock clock) {
        this(plan, kafka, instance, reader, operatorKeys, commandKeys, clock, CommitSchedule.COMMIT_INTERVAL);
    }

    /** A loop whose transactions without a command stay open for {@code commitInterval}. */
    CoordinatorLoop(
            Plan plan,
            KafkaClientConfig kafka,
            String instance,
            DeadLetteringReader reader,
            RecordSignatures operatorKeys,
            RecordSignatures commandKeys,
            Clock clock,
            Duration commitInterval) {
        this.clock = clock;
        this.schedule = new CommitSchedule(
                commitInterval, CommitSchedule.INPUTS_AFTER_A_COMMAND, CommitSchedule.MAX_INPUTS_PER_TRANSACTION);
        this.decider = new Decider(plan);
        this.slots = new GroupSlots(plan);
        this.gate = new InputGate(reader, slots, operatorKeys);
        this.instance = instance;
        this.kafka = kafka;
        this.restore = new Restore(CoordinatorClients.restoreConsumer(kafka), decider, slots::planned, slots::idsOf);
        this.consumer = new KafkaConsumer<>(CoordinatorClients.consumer(kafka));
        this.producer = new KafkaProducer<>(CoordinatorClients.producer(kafka, instance));
        this.writer = new TransactionWriter(producer);
        this.publisher = new DecisionPublisher(producer, Event.sourceOf("failover-coordinator", instance), commandKeys);
        this.deadLetters = publisher::deadLetter;
        this.rebalance = new Rebalance(
                this::finishBeforeRevoke, this::abandon, consumer, slots, view, writer, restore, instance);
    }

    /** The partitions this instance owns now. */
    public Set<Integer> owned() {
        return view.owned();
    }

    /** What the API shows: each owned group's state and latest decisions as of the last commit. */
    public ReadModel view() {
        return view;
    }

    @Override
    public void run() {
        try {
            try {
                producer.initTransactions();
                consumer.subscribe(CoordinatorClients.INPUTS, rebalance);
                while (running.get()) {
                    lastPollNanos = System.nanoTime();
                    process(consumer.poll(open == null ? IDLE_POLL : schedule.pollTimeout(System.nanoTime())));
                }
            } catch (WakeupException e) {
                // close() woke the consumer up: stop
            }
            finish(); // stopped: what was decided is committed, not decided again by the next owner
        } catch (ProducerFencedException e) {
            fencedOff(e);
        } catch (AuthenticationException | AuthorizationException e) {
            // One clear line, no stack: which cluster, how it was reached, what the broker said.
            stoppedBy = ConnectionRefusals.describe(e, kafka, "coordinator", "failover-coordinator")
                    .orElseThrow();
            LOG.error("the coordinator loop stopped: {}", stoppedBy);
        } catch (RuntimeException e) {
            LOG.error("the coordinator loop stopped; /health reports DOWN so the service is restarted", e);
            stoppedBy = e.getClass().getSimpleName() + ": " + e.getMessage();
            throw e;
        } finally {
            consumer.close();
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Before partitions go: what was decided on them is committed (the next owner starts from there). */
    private void finishBeforeRevoke() {
        try {
            finish();
        } catch (ProducerFencedException e) {
            fencedOff(e); // thrown out of a rebalance callback it would also fail the consumer's close
        }
    }

    /** Partitions were lost: another member may own them already, so nothing is committed. */
    private void abandon() {
        if (open != null && !fenced) {
            try {
                abort(List.of());
            } catch (ProducerFencedException e) {
                fencedOff(e);
            }
        }
        dropOpen();
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
            LOG.warn("transaction aborted, its inputs will be read again: {}", Failures.causes(e));
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
            LOG.warn("transaction aborted, its inputs will be read again: {}", Failures.causes(e));
            abort(all.subList(next, all.size()));
        }
    }

    /** Decides one input in the open transaction; true when a decision sent a command. */
    private boolean decide(ConsumerRecord<String, byte[]> record) {
        OpenTransaction tx = open;
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        tx.offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
        tx.firstOffsets.putIfAbsent(partition, record.offset());
        Optional<Event<?>> event = gate.admit(record, deadLetters);
        if (event.isEmpty()) {
            return false; // dead-lettered; the group's decisions go on
        }
        // The decider's time for this input: the coordinator's clock, journaled with it so that a replay is exact.
        Instant arrivedAt = Instant.ofEpochMilli(clock.millis());
        tx.journal
                .computeIfAbsent(record.partition(), p -> new ArrayList<>())
                .add(new JournalBatch.Entry(
                        record.topic(), record.offset(), arrivedAt.toEpochMilli(), record.key(), record.value()));
        boolean commanded = false;
        Reason refused = null;
        for (GroupSlot slot : slots.of(event.get(), record.partition())) {
            tx.touch(slot);
            GroupState state = slot.state != null ? slot.state : decider.initial(slot.group, arrivedAt);
            Decision decision = decider.decide(state, event.get(), arrivedAt);
            slot.state = decision.state();
            refused = decision.refusal() != null ? decision.refusal() : refused;
            SnapshotPolicy.mark(tx, slot, decision.clockOnly(), System.nanoTime());
            commanded |= publisher.publish(event.get(), decision, tx);
        }
        view.observed(event.get(), arrivedAt, refused);
        if (refused != null) {
            // Its time cannot be trusted: it changed nothing, and it goes to the dead-letter topic with the reason.
            gate.refuse(record, refused, deadLetters);
        }
        return commanded;
    }

    /** Commits the open transaction: its journal, snapshots and consumed offsets go with its decisions and commands. */
    private void commit() {
        OpenTransaction tx = open;
        writer.writeBeforeCommit(tx);
        producer.sendOffsetsToTransaction(tx.offsets, consumer.groupMetadata());
        producer.commitTransaction();
        open = null;
        writer.committed(tx);
        view.committed(tx.touched, tx.decided);
        tx.committed(System.nanoTime());
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
            tx.putBack(); // first: the states go back even if the abort throws
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

    /** Forgets the open transaction, which this instance can no longer commit or abort, and puts back what it changed. */
    private void dropOpen() {
        if (open != null) {
            open.putBack();
            open = null;
        }
    }

    /** Transactions aborted since the loop started (a failed send or commit); their inputs were decided again. */
    public long abortedTransactions() {
        return aborted.get();
    }

    /** Groups restored on partition assignment since the loop started. */
    public long restoredGroups() {
        return rebalance.restoredGroups();
    }

    /** Journaled inputs decided again on partition assignment since the loop started (see {@link Restore}). */
    public long replayedInputs() {
        return rebalance.replayedInputs();
    }

    /** Snapshots the restores could not decode since the loop started: each group started afresh (see {@link Restore}). */
    public long undecodableSnapshots() {
        return restore.undecodableSnapshots();
    }

    /** Journaled inputs the restores could not decode since the loop started: their groups were restored a step behind. */
    public long undecodableJournalEntries() {
        return restore.undecodableJournalEntries();
    }

    /**
     * What is wrong with the loop, if anything, for {@code /health}: fenced off by another instance with its identity,
     * stopped by an error, or not polling its input for longer than {@code pollBound} (a poll waits at most the commit
     * schedule's interval, so a loop that does not come back to it is stuck).
     */
    public Optional<String> problem(Duration pollBound) {
        if (fenced) {
            return Optional.of("fenced off: another coordinator instance with the identity " + instance
                    + " took over; this one has stopped and must be restarted with an identity of its own");
        }
        if (stoppedBy != null) {
            return Optional.of("the loop stopped: " + stoppedBy);
        }
        long idle = System.nanoTime() - lastPollNanos;
        if (running.get() && idle > pollBound.toNanos()) {
            return Optional.of("the loop has not polled its input for " + idle / 1_000_000_000 + " s");
        }
        return Optional.empty();
    }

    /** True when another instance with the same transactional id fenced this one off; it has stopped. */
    public boolean fenced() {
        return fenced;
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}

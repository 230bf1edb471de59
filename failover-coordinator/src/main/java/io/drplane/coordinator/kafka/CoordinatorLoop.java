package io.drplane.coordinator.kafka;

import io.drplane.coordinator.decider.Decider;
import io.drplane.coordinator.decider.Decision;
import io.drplane.coordinator.replay.Replayer;
import io.drplane.coordinator.state.GroupState;
import io.drplane.events.BreakerTransitioned;
import io.drplane.events.Command;
import io.drplane.events.CoordinatorTicked;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.journal.JournalBatch;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
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

    /** Inputs decided after one that produced a command before the transaction commits (see {@link CommitSchedule}). */
    static final int INPUTS_AFTER_A_COMMAND = 128;
    /** How long a transaction without a command stays open (see {@link CommitSchedule}). */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    /** Inputs per transaction at most, so an abort after a backlog does not redo a great deal. */
    static final int MAX_INPUTS_PER_TRANSACTION = 10_000;
    /**
     * The largest input (key and value) decided. Each is journaled in a record of its own at most, with its topic and
     * offset, and that record must fit the producer's max.request.size (1 MB): an input near the broker's 1 MB limit
     * would fail every commit holding it. drplane's inputs are a few hundred bytes; half a megabyte leaves room.
     */
    static final int MAX_INPUT_BYTES = 512 * 1024;
    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    private final Decider decider;
    private final String instance;
    private final DeadLetteringReader reader;
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
    private final DeadLetteringReader.Sink deadLetters;
    private final AtomicLong aborted = new AtomicLong();

    public CoordinatorLoop(Plan plan, KafkaClientConfig kafka, String instance, DeadLetteringReader reader) {
        this(plan, kafka, instance, reader, COMMIT_INTERVAL);
    }

    /** A loop whose transactions without a command stay open for {@code commitInterval}. */
    CoordinatorLoop(Plan plan, KafkaClientConfig kafka, String instance, DeadLetteringReader reader, Duration commitInterval) {
        this.schedule = new CommitSchedule(commitInterval, INPUTS_AFTER_A_COMMAND, MAX_INPUTS_PER_TRANSACTION);
        this.decider = new Decider(plan);
        this.slots = new GroupSlots(plan);
        this.instance = instance;
        this.reader = reader;
        this.restore = new Restore(CoordinatorClients.restoreConsumer(kafka), decider, slots::planned, slots::idsOf);
        this.consumer = new KafkaConsumer<>(CoordinatorClients.consumer(kafka));
        this.producer = new KafkaProducer<>(CoordinatorClients.producer(kafka, instance));
        this.writer = new TransactionWriter(producer);
        this.publisher = new DecisionPublisher(producer, Event.sourceOf("failover-coordinator", instance));
        this.deadLetters = publisher::deadLetter;
        this.rebalance = new Rebalance(new Ending(), consumer, slots, view, writer, restore, instance);
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
        producer.initTransactions();
        consumer.subscribe(CoordinatorClients.INPUTS, rebalance);
        try {
            try {
                while (running.get()) {
                    process(consumer.poll(pollTimeout()));
                }
            } catch (WakeupException e) {
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

    /** Ends the open transaction as a rebalance needs it: committed before partitions go, abandoned when they are lost. */
    private final class Ending implements Rebalance.Transactions {
        @Override
        public void finish() {
            try {
                CoordinatorLoop.this.finish();
            } catch (ProducerFencedException e) {
                fencedOff(e); // thrown out of a rebalance callback it would also fail the consumer's close
            }
        }

        @Override
        public void abandon() {
            if (open != null && !fenced) {
                try {
                    abort(List.of());
                } catch (ProducerFencedException e) {
                    fencedOff(e);
                }
            }
            dropOpen();
        }
    }

    /** How long a poll may wait: until the open transaction is due, or a while when none is open. */
    private Duration pollTimeout() {
        return open == null ? IDLE_POLL : schedule.pollTimeout(System.nanoTime());
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
        if (!(event.get().data() instanceof CoordinatorTicked) && slots.planned(subject) && !subject.equals(record.key())) {
            reader.refuse(record, "the input is keyed '" + record.key() + "' but is about group '" + subject + "': inputs are keyed by"
                    + " their group, so that a group's inputs reach the instance that owns its state; decided here, it could change a"
                    + " state another instance owns", deadLetters);
            return false;
        }
        tx.journal.computeIfAbsent(record.partition(), p -> new ArrayList<>())
                .add(new JournalBatch.Entry(record.topic(), record.offset(), record.key(), record.value()));
        boolean commanded = false;
        for (GroupSlot slot : slots.of(event.get(), record.partition())) {
            tx.touch(slot);
            GroupState state = slot.state != null ? slot.state : decider.initial(slot.group, event.get().time());
            Decision decision = decider.decide(state, event.get());
            slot.state = decision.state();
            SnapshotPolicy.mark(tx, slot, decision.clockOnly(), System.nanoTime());
            commanded |= publisher.publish(event.get(), decision, tx);
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

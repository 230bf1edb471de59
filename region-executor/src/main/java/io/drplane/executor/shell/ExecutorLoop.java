package io.drplane.executor.shell;

import io.drplane.events.Command;
import io.drplane.events.CommandRejected;
import io.drplane.events.CommandResult;
import io.drplane.events.Event;
import io.drplane.events.EventType;
import io.drplane.events.ReasonCode;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.executor.action.CommandRunner;
import io.drplane.executor.ledger.Admission;
import io.drplane.executor.ledger.CommandLedger;
import io.drplane.executor.ledger.Duplicates;
import io.drplane.kafka.ConnectionRefusals;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.OffsetTracker;
import io.drplane.kafka.ReadToEnd;
import io.drplane.kafka.RecordSignatures;
import io.drplane.runtime.DaemonThreads;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * The executor's one Kafka thread. At start it reads {@code dr.command-results.v1} to its end into the
 * {@link CommandLedger}; then it reads the region's command topic ({@code read_committed}: only commands of
 * committed coordinator transactions), admits each command through the ledger, runs admitted ones on a worker pool
 * (commands of a runbook run in parallel), publishes every result, and commits a command's offset only once its
 * result is acknowledged by the broker. It keeps reading the results topic, so results written by other instances
 * of this region's executor count too.
 */
public final class ExecutorLoop implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorLoop.class);

    private record Delivery(TopicPartition partition, long offset, Command command) {}

    private record Finished(Delivery delivery, CommandResult result) {}

    private final String region;
    private final KafkaClientConfig kafka;
    private final URI source;
    private final CommandRunner runner;
    private final DeadLetteringReader reader;
    private final RecordSignatures commandKeys;
    /** Why the loop stopped, if it did, for /health. */
    private volatile String stoppedBy;

    private final Clock clock;
    private final MeterRegistry metrics;
    private final int workers;
    private final CommandLedger ledger;
    private final ExecutorService pool;
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Delivery> acknowledged = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Finished> unpublished = new ConcurrentLinkedQueue<>();
    private final Map<String, List<Delivery>> waitingForFirst = new HashMap<>();
    private final Map<TopicPartition, OffsetTracker> offsets = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> commands;

    public ExecutorLoop(
            String region,
            KafkaClientConfig kafka,
            URI source,
            CommandRunner runner,
            DeadLetteringReader reader,
            RecordSignatures commandKeys,
            Clock clock,
            MeterRegistry metrics,
            int workers) {
        this.commandKeys = commandKeys;
        this.region = region;
        this.kafka = kafka;
        this.source = source;
        this.runner = runner;
        this.reader = reader;
        this.clock = clock;
        this.metrics = metrics;
        this.workers = workers;
        this.ledger = new CommandLedger(region);
        this.pool = Executors.newFixedThreadPool(workers, DaemonThreads.named("executor-" + region));
    }

    /** Whether the ledger has been rebuilt from the results topic and commands are being read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(kafka.eventProducer("executor-" + region));
                KafkaConsumer<String, byte[]> results = new KafkaConsumer<>(consumerConfig(null));
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(consumerConfig("drplane-region-executor-" + region))) {
            commands = consumer;
            int rebuilt = rebuildLedger(results);
            LOG.info(
                    "ledger for {} rebuilt from {}: {} results, {} commands done here",
                    region,
                    TopicFamily.COMMAND_RESULTS.topic(),
                    rebuilt,
                    ledger.size());
            consumer.subscribe(List.of(TopicFamily.COMMANDS.topic(region)), new CommitOnRevoke(consumer));
            caughtUp.countDown();
            while (running.get()) {
                settle(producer);
                commitFinished(consumer);
                boolean busy = offsets.values().stream()
                                .mapToInt(OffsetTracker::inFlight)
                                .sum()
                        >= workers * 4;
                if (busy) {
                    consumer.pause(consumer.assignment());
                } else {
                    consumer.resume(consumer.paused());
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    accept(record, producer);
                }
                for (ConsumerRecord<String, byte[]> record : results.poll(Duration.ZERO)) {
                    readResult(record);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (AuthenticationException | AuthorizationException e) {
            stoppedBy = ConnectionRefusals.describe(e, kafka, "executor of " + region, "region-executor/" + region)
                    .orElseThrow();
            LOG.error("executor loop for {} stopped: {}", region, stoppedBy); // one line: /health says the same
        } catch (RuntimeException e) {
            stoppedBy = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("executor loop for {} stopped", region, e);
            throw e;
        } finally {
            caughtUp.countDown();
            pool.shutdown();
        }
    }

    /** Why the loop stopped, if it did: for {@code /health}, DOWN with the reason. */
    public Optional<String> problem() {
        return Optional.ofNullable(stoppedBy).map(why -> "the loop stopped: " + why);
    }

    private int rebuildLedger(KafkaConsumer<String, byte[]> results) {
        return ReadToEnd.read(
                results, ReadToEnd.partitionsOf(results, TopicFamily.COMMAND_RESULTS.topic()), this::readResult);
    }

    private void readResult(ConsumerRecord<String, byte[]> record) {
        try {
            if (EventCodec.instance().decode(record.value()).data() instanceof CommandResult result) {
                ledger.record(result);
            }
        } catch (EventDecodingException | RuntimeException e) {
            // The results topic is not ours to dead-letter: its producers' readers do. Skip it, loudly and counted: a
            // result the ledger lacks makes a re-delivered command run again, and its idempotency check answer it.
            metrics.counter("drplane.executor.results.unreadable", "region", region)
                    .increment();
            LOG.error(
                    "unreadable record in {} at {}-{}, not in the ledger: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record, KafkaProducer<String, Event<?>> producer) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        offsets.computeIfAbsent(partition, p -> new OffsetTracker()).started(record.offset());
        // Only what the coordinator signed runs: the topic's ACL cannot tell it from whoever holds its credentials.
        Optional<RecordSignatures.Refusal> unsigned =
                commandKeys.verify(record.topic(), record.value(), record.headers());
        if (unsigned.isPresent()) {
            reader.refuse(
                    record,
                    (unsigned.get().problem() == RecordSignatures.Problem.MISSING
                                    ? ReasonCode.COMMAND_SIGNATURE_MISSING
                                    : ReasonCode.COMMAND_SIGNATURE_INVALID)
                            + ": " + unsigned.get().message() + ".");
            metrics.counter("drplane.executor.commands.unsigned", "region", region)
                    .increment();
            offsets.get(partition).finished(record.offset());
            return;
        }
        Event<?> event = reader.read(record).orElse(null);
        if (event == null) {
            offsets.get(partition).finished(record.offset()); // dead-lettered, with the reason in its headers
            return;
        }
        if (!(event.data() instanceof Command command)) {
            // Only commands run here; a command for another region is answered WRONG_REGION, which the coordinator
            // reads.
            reader.refuse(
                    record,
                    "the event " + event.type().shortName() + " is not a command: " + record.topic()
                            + " takes commands only");
            offsets.get(partition).finished(record.offset());
            return;
        }
        Delivery delivery = new Delivery(partition, record.offset(), command);
        Admission admission = ledger.admit(command, clock.instant());
        metrics.counter(
                        "drplane.executor.commands",
                        "region",
                        region,
                        "admission",
                        admission.verdict().name().toLowerCase())
                .increment();
        switch (admission.verdict()) {
            case RUN -> pool.execute(() -> finished.add(new Finished(delivery, runner.run(command))));
            case REJECT -> {
                CommandRejected rejected = new CommandRejected(
                        command.group(),
                        command.commandId(),
                        command.failoverId(),
                        command.region(),
                        command.epoch(),
                        EventType.of(command.getClass()),
                        admission.highestEpoch(),
                        clock.instant(),
                        admission.reason().orElseThrow());
                LOG.warn(
                        "rejected {} for {}: {}",
                        command.commandId(),
                        command.group(),
                        rejected.reason().message());
                ledger.record(rejected);
                publish(producer, new Finished(delivery, rejected));
            }
            case ALREADY_DONE -> {
                LOG.info("{} for {} delivered again; reporting its first result", command.commandId(), command.group());
                publish(
                        producer,
                        new Finished(
                                delivery,
                                Duplicates.reportAgain(admission.firstResult().orElseThrow())));
            }
            case IN_FLIGHT -> waitingForFirst
                    .computeIfAbsent(command.commandId(), id -> new ArrayList<>())
                    .add(delivery);
        }
    }

    /** Results of finished commands into the ledger and onto the topic; acknowledged ones free their offsets. */
    private void settle(KafkaProducer<String, Event<?>> producer) {
        for (Finished retry = unpublished.poll(); retry != null; retry = unpublished.poll()) {
            publish(producer, retry);
        }
        for (Finished done = finished.poll(); done != null; done = finished.poll()) {
            ledger.record(done.result());
            metrics.counter(
                            "drplane.executor.results",
                            "region",
                            region,
                            "type",
                            done.result().getClass().getSimpleName())
                    .increment();
            publish(producer, done);
            for (Delivery again : waitingForFirst.getOrDefault(done.result().commandId(), List.of())) {
                publish(producer, new Finished(again, Duplicates.reportAgain(done.result())));
            }
            waitingForFirst.remove(done.result().commandId());
        }
        for (Delivery delivery = acknowledged.poll(); delivery != null; delivery = acknowledged.poll()) {
            OffsetTracker tracker = offsets.get(delivery.partition());
            if (tracker != null) {
                tracker.finished(delivery.offset());
            }
        }
    }

    private void publish(KafkaProducer<String, Event<?>> producer, Finished done) {
        Event<?> event = Event.of(source, clock.instant(), done.result());
        producer.send(
                new ProducerRecord<>(
                        TopicFamily.COMMAND_RESULTS.topic(), done.result().group(), event),
                (metadata, error) -> {
                    if (error == null) {
                        acknowledged.add(done.delivery());
                    } else {
                        // Never dropped: the offset stays uncommitted and the result is sent again on the next turn.
                        LOG.error(
                                "could not publish the result of {} ({}); retrying",
                                done.result().commandId(),
                                error.toString());
                        unpublished.add(done);
                    }
                });
    }

    private void commitFinished(KafkaConsumer<String, byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((partition, tracker) ->
                tracker.committable().ifPresent(next -> commit.put(partition, new OffsetAndMetadata(next))));
        if (!commit.isEmpty()) {
            consumer.commitAsync(commit, (done, error) -> {
                if (error != null) {
                    LOG.warn(
                            "offset commit failed ({}); the commands may be delivered again and will be answered from the ledger",
                            error.toString());
                }
            });
        }
    }

    private Map<String, Object> consumerConfig(String groupId) {
        return kafka.consumer(groupId, "executor-" + region + (groupId == null ? "-results" : "-commands"));
    }

    /** On losing partitions, commit what has finished; unfinished commands go to the new owner, whose ledger answers them. */
    private final class CommitOnRevoke implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> consumer;

        CommitOnRevoke(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetTracker tracker = offsets.remove(partition);
                if (tracker != null) {
                    tracker.committable().ifPresent(next -> commit.put(partition, new OffsetAndMetadata(next)));
                }
            }
            if (!commit.isEmpty()) {
                consumer.commitSync(commit);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    }

    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<String, byte[]> consumer = commands;
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}

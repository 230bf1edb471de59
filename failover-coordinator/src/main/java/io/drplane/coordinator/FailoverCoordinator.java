package io.drplane.coordinator;

import io.drplane.coordinator.kafka.CoordinatorLoop;
import io.drplane.coordinator.kafka.TickWriter;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.RecordSignatures;
import io.drplane.plan.Plan;
import io.drplane.runtime.DaemonThreads;
import io.drplane.runtime.ServiceIdentity;
import io.drplane.runtime.WorkerHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Runs the coordinator's transactional loop and its tick writer for as long as the service runs. */
@Context
public class FailoverCoordinator implements AutoCloseable {

    /** A loop that has not polled for this long is stuck: a poll waits at most a fraction of a second. */
    static final Duration LOOP_POLL_BOUND = Duration.ofSeconds(30);

    private final CoordinatorLoop loop;
    private final TickWriter ticks;
    private final Thread thread;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("coordinator-tick"));

    private final WorkerHealth health;

    public FailoverCoordinator(
            Plan plan,
            ServiceIdentity identity,
            DeadLetteringReader reader,
            Clock clock,
            WorkerHealth health,
            KafkaClientConfig kafka,
            @Named("operator-events") RecordSignatures operatorKeys,
            @Named("commands") RecordSignatures commandKeys,
            MeterRegistry metrics,
            @Value("${drplane.coordinator.tick-interval:1s}") Duration tickInterval) {
        this.loop = new CoordinatorLoop(plan, kafka, identity.getInstance(), reader, operatorKeys, commandKeys);
        this.ticks = new TickWriter(kafka, loop::owned, clock, identity.getInstance());
        this.thread = new Thread(loop, "coordinator-loop");
        thread.setDaemon(true);
        thread.start();
        this.health = health;
        // DOWN with the reason when the loop is fenced, stopped or stuck, or when ticks cannot be written: the
        // orchestrator restarts it, and an operator reads why.
        health.registerWithReason("coordinator-loop", () -> loop.problem(LOOP_POLL_BOUND)
                .or(() -> thread.isAlive() ? Optional.empty() : Optional.of("the loop's thread has ended")));
        health.registerWithReason("coordinator-ticks", () -> ticks.problem(tickInterval.multipliedBy(5)));
        ticks.scheduleOn(timer, tickInterval);
        // What a takeover could not read: never a crash loop, so it must be visible somewhere else than a log line.
        Gauge.builder("drplane.coordinator.restore.undecodable", loop, CoordinatorLoop::undecodableSnapshots)
                .tag("record", "snapshot")
                .description("snapshots that did not decode on a takeover (the group started afresh)")
                .register(metrics);
        Gauge.builder("drplane.coordinator.restore.undecodable", loop, CoordinatorLoop::undecodableJournalEntries)
                .tag("record", "journal-entry")
                .description("journaled inputs that did not decode on a takeover (the group was restored without them)")
                .register(metrics);
    }

    public CoordinatorLoop loop() {
        return loop;
    }

    @PreDestroy
    @Override
    public void close() {
        health.deregister("coordinator-loop");
        timer.shutdownNow();
        ticks.close();
        loop.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.drplane.executor;

import io.drplane.aws.AwsCalls;
import io.drplane.aws.ResilienceSettings;
import io.drplane.executor.action.CommandRunner;
import io.drplane.executor.aws.AwsClients;
import io.drplane.executor.shell.ExecutorLoop;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.RecordSignatures;
import io.drplane.plan.Plan;
import io.drplane.runtime.ServiceIdentity;
import io.drplane.runtime.WorkerHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Wires the region's AWS clients, the guarded calls and the command runner to the Kafka loop, and runs it. */
@Context
public class RegionExecutor implements AutoCloseable {

    private final AwsClients clients;
    private final AwsCalls calls;
    private final ExecutorLoop loop;
    private final Thread thread;

    private final WorkerHealth health;

    public RegionExecutor(
            ExecutorRegion region,
            Plan plan,
            ServiceIdentity identity,
            DeadLetteringReader reader,
            Clock clock,
            WorkerHealth health,
            MeterRegistry metrics,
            KafkaClientConfig kafka,
            @Named("commands") RecordSignatures commandKeys,
            @Value("${drplane.executor.workers:8}") int workers,
            @Value("${drplane.executor.poll-interval:5s}") Duration pollInterval,
            @Value("${drplane.executor.max-attempts:5}") int maxAttempts,
            @Value("${drplane.executor.initial-backoff:200ms}") Duration initialBackoff,
            @Value("${drplane.executor.call-timeout:20s}") Duration callTimeout,
            @Value("${drplane.executor.calls-per-second:20}") int callsPerSecond) {
        ResilienceSettings settings = ResilienceSettings.of(maxAttempts, initialBackoff, callsPerSecond, callTimeout);
        this.clients = new AwsClients(
                region.region(),
                region.awsEndpoint().map(URI::create),
                DefaultCredentialsProvider.builder().build(),
                callTimeout,
                List.of());
        this.calls = new AwsCalls(region.region(), settings);
        CommandRunner runner = new CommandRunner(clients, calls, plan, region.dryRun(), pollInterval, clock);
        this.loop = new ExecutorLoop(
                region.region(), kafka, identity.source(), runner, reader, commandKeys, clock, metrics, workers);
        this.thread = new Thread(loop, "executor-loop-" + region.region());
        thread.setDaemon(true);
        thread.start();
        this.health = health;
        health.registerWithReason("executor-loop", () -> loop.problem()
                .or(() -> thread.isAlive() ? Optional.empty() : Optional.of("the loop's thread has ended")));
    }

    public ExecutorLoop loop() {
        return loop;
    }

    @PreDestroy
    @Override
    public void close() {
        health.deregister("executor-loop");
        loop.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.close();
        clients.close();
    }
}

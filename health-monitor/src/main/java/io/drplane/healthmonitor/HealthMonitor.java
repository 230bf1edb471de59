package io.drplane.healthmonitor;

import io.drplane.events.Event;
import io.drplane.events.HealthObserved;
import io.drplane.healthmonitor.probe.AwsClients;
import io.drplane.healthmonitor.probe.AwsHealthProber;
import io.drplane.healthmonitor.probe.HttpProber;
import io.drplane.healthmonitor.probe.ProbeResult;
import io.drplane.healthmonitor.probe.ProbeTarget;
import io.drplane.healthmonitor.probe.TcpProber;
import io.drplane.healthmonitor.probe.TrustStores;
import io.drplane.healthmonitor.publish.ObservationBuffer;
import io.drplane.healthmonitor.publish.ObservationPublisher;
import io.drplane.healthmonitor.schedule.ProbeScheduler;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.plan.Group;
import io.drplane.plan.HealthTarget;
import io.drplane.plan.Plan;
import io.drplane.plan.Region;
import io.drplane.runtime.DaemonThreads;
import io.drplane.runtime.ServiceIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health monitor of one vantage point: probes every target of the plan at its interval and publishes each
 * result as {@code health.observed} to {@code dr.health.v1} (idempotent producer, acks=all).
 */
@Context
public class HealthMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final ExecutorService httpExecutor;
    private final ExecutorService blocking;
    private final ScheduledExecutorService timer;
    private final AwsClients aws;
    private final ObservationBuffer buffer;
    private final ObservationPublisher publisher;
    private final ProbeScheduler scheduler;
    private final List<ProbeTarget> targets;

    public HealthMonitor(
            Plan plan,
            VantagePoint vantage,
            ServiceIdentity identity,
            HealthMonitorConfig config,
            Clock clock,
            MeterRegistry metrics,
            KafkaClientConfig kafka,
            @Nullable @Value("${drplane.aws.endpoint:}") String awsEndpoint) {
        this.targets = targets(plan);
        this.httpExecutor = Executors.newFixedThreadPool(4, DaemonThreads.named("health-http"));
        this.blocking =
                Executors.newFixedThreadPool(config.getBlockingThreads(), DaemonThreads.named("health-blocking"));
        this.timer = Executors.newScheduledThreadPool(2, DaemonThreads.named("health-timer"));
        this.aws = new AwsClients(
                awsEndpoint == null || awsEndpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(awsEndpoint)));
        this.buffer = new ObservationBuffer(config.getBufferCapacity());

        Map<String, Object> producerConfig = new HashMap<>(kafka.eventProducer("health-monitor-" + vantage.name()));
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, KafkaClientConfig.OBSERVATION_LINGER_MS);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000); // never hold the publisher thread long
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        this.publisher = new ObservationPublisher(
                buffer,
                new KafkaProducer<>(producerConfig),
                config.getMaxUnacknowledged(),
                metrics,
                Duration.ofSeconds(10));

        var probers = List.of(
                new HttpProber(
                        vantage.name(),
                        clock,
                        TrustStores.context(
                                config.getTrustStore(), config.getTrustStorePassword(), config.getTrustStoreType()),
                        httpExecutor),
                new TcpProber(clock, blocking, timer),
                new AwsHealthProber(aws, clock, blocking));
        this.scheduler = new ProbeScheduler(
                targets,
                probers,
                (target, result) -> buffer.add(observation(identity, vantage, target, result)),
                vantage.name(),
                clock,
                timer,
                config.getMaxInFlight(),
                metrics);
        publisher.start();
        scheduler.start();
        LOG.info(
                "probing {} target(s) from vantage point {}; publishing to dr.health.v1",
                targets.size(),
                vantage.name());
    }

    static List<ProbeTarget> targets(Plan plan) {
        List<ProbeTarget> targets = new ArrayList<>();
        for (Group group : plan.groups()) {
            for (Region region : group.regions()) {
                for (HealthTarget target : region.targets()) {
                    targets.add(new ProbeTarget(group.id(), region.name(), target));
                }
            }
        }
        return List.copyOf(targets);
    }

    static Event<HealthObserved> observation(
            ServiceIdentity identity, VantagePoint vantage, ProbeTarget target, ProbeResult result) {
        HealthObserved data = new HealthObserved(
                target.group(),
                target.region(),
                target.target().name(),
                vantage.name(),
                result.source(),
                result.outcome(),
                result.statusCode(),
                result.latencyMillis(),
                result.observedAt(),
                result.detail());
        return Event.of(identity.source(), result.observedAt(), data);
    }

    public ProbeScheduler scheduler() {
        return scheduler;
    }

    public List<ProbeTarget> targets() {
        return targets;
    }

    public ObservationBuffer buffer() {
        return buffer;
    }

    @PreDestroy
    @Override
    public void close() {
        scheduler.close();
        timer.shutdownNow();
        publisher.close();
        httpExecutor.shutdownNow();
        blocking.shutdownNow();
        aws.close();
    }
}

package io.drplane.replicationtracker;

import io.drplane.events.ReplicationLagObserved;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.plan.ReplicationLink;
import io.drplane.replicationtracker.measure.CloudWatchLag;
import io.drplane.replicationtracker.measure.HeartbeatMeasurer;
import io.drplane.replicationtracker.measure.LagMeasurer;
import io.drplane.replicationtracker.measure.LagReading;
import io.drplane.replicationtracker.measure.MysqlMeasurer;
import io.drplane.replicationtracker.measure.PostgresMeasurer;
import io.drplane.replicationtracker.rpo.RpoWatch;
import io.drplane.replicationtracker.topology.LiveTopology;
import io.drplane.replicationtracker.topology.TopologyReader;
import io.drplane.runtime.DaemonThreads;
import io.drplane.runtime.EventPublisher;
import io.drplane.runtime.secrets.SecretResolver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures every replication link that exists now at its interval: the live topology the coordinator publishes on
 * {@code dr.topology.v1} (the plan's links until it has said otherwise; after a failover and re-protect, the links the
 * other way round) and publishes {@code replication.lag-observed} to
 * {@code dr.replication.v1}, plus {@code rpo.breached} and {@code rpo.restored} when a link crosses its group's RPO.
 * Database measurements run on worker threads with timeouts; a link whose last measurement is still running skips
 * its turn rather than piling up behind a database that does not answer. CloudWatch links are fetched in one batch
 * per region.
 */
@Context
public class ReplicationTracker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationTracker.class);

    private record Tracked(Group group, ReplicationLink link, RpoWatch rpo) {}

    private final EventPublisher publisher;
    /** RPO breaches and recoveries that could not be published (each is said again with the next reading). */
    private final Counter rpoEventsNotPublished;

    private final Clock clock;
    private final Plan plan;
    private final SecretResolver secrets;
    private final CloudWatchLag cloudWatch;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final List<LagMeasurer> measurers = new ArrayList<>();
    private final LiveTopology topology;
    private final TopologyReader topologyReader;
    /** CloudWatch-measured links ("group/link") and the region their metric is read in. */
    private final Map<String, String> cloudWatchLinks = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Per CloudWatch link that appeared while the tracker ran: the minute its metric must be newer than (the newest
     * datapoint already there when it appeared, an earlier resource's of the same name).
     */
    private final Map<String, Instant> notBefore = new java.util.concurrent.ConcurrentHashMap<>();

    public ReplicationTracker(
            Plan plan,
            EventPublisher publisher,
            Clock clock,
            MeterRegistry metrics,
            KafkaClientConfig kafka,
            @Value("${drplane.replication.db-timeout:5s}") Duration dbTimeout,
            @Nullable @Value("${drplane.aws.endpoint:}") String awsEndpoint) {
        this.publisher = publisher;
        this.clock = clock;
        this.plan = plan;
        this.rpoEventsNotPublished = metrics.counter("drplane.replication.rpo.events.not.published");
        this.topology = new LiveTopology(plan, clock);
        Optional<URI> endpoint =
                awsEndpoint == null || awsEndpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(awsEndpoint));
        this.secrets = new SecretResolver(System::getenv, endpoint);
        this.cloudWatch = new CloudWatchLag(clock, endpoint);
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("replication-timer"));
        this.workers = Executors.newFixedThreadPool(
                Math.max(2, Math.min(32, countLinks(plan) * 2)), DaemonThreads.named("replication-worker"));

        Map<String, List<Tracked>> cloudWatchByRegion = new LinkedHashMap<>();
        int links = 0;
        for (Group group : plan.groups()) {
            // every link that can exist, each measured only while it does
            for (ReplicationLink link : group.possibleLinks()) {
                Tracked tracked = new Tracked(
                        group,
                        link,
                        new RpoWatch(group.id(), link.name(), group.objectives().rpo()));
                links++;
                if (link.method().sql()) {
                    LagMeasurer measurer =
                            switch (link.method()) {
                                case HEARTBEAT -> new HeartbeatMeasurer(link, secrets, clock, dbTimeout);
                                case POSTGRES -> new PostgresMeasurer(link, secrets, dbTimeout);
                                default -> new MysqlMeasurer(link, secrets, dbTimeout);
                            };
                    measurers.add(measurer);
                    scheduleDatabase(tracked, measurer);
                    if (measurer instanceof HeartbeatMeasurer heartbeat) {
                        scheduleBeats(tracked, heartbeat);
                    }
                } else {
                    cloudWatchByRegion
                            .computeIfAbsent(CloudWatchLag.queryRegion(link), r -> new ArrayList<>())
                            .add(tracked);
                }
            }
        }
        cloudWatchByRegion.forEach(this::scheduleCloudWatch);
        cloudWatchByRegion.forEach((region, list) -> list.forEach(t -> cloudWatchLinks.put(key(t), region)));
        this.topologyReader = new TopologyReader(kafka, topology, this::appeared).start();
        LOG.info("tracking {} replication link(s); publishing to dr.replication.v1", links);
    }

    private void scheduleDatabase(Tracked tracked, LagMeasurer measurer) {
        AtomicBoolean busy = new AtomicBoolean();
        long interval = tracked.link().interval().toMillis();
        timer.scheduleAtFixedRate(
                () -> {
                    if (!topology.measures(tracked.group().id(), tracked.link().name())) {
                        return; // the link does not exist now (a failover broke it, re-protect has not made it)
                    }
                    if (!busy.compareAndSet(false, true)) {
                        return; // the previous measurement is still waiting on a database: skip, do not pile up
                    }
                    workers.execute(() -> {
                        try {
                            report(tracked, measurer.measure());
                        } catch (RuntimeException e) {
                            report(tracked, LagReading.unknown("measurement failed: " + e.getMessage()));
                        } finally {
                            busy.set(false);
                        }
                    });
                },
                0,
                interval,
                TimeUnit.MILLISECONDS);
    }

    private void scheduleBeats(Tracked tracked, HeartbeatMeasurer heartbeat) {
        AtomicBoolean busy = new AtomicBoolean();
        timer.scheduleAtFixedRate(
                () -> {
                    if (topology.measures(tracked.group().id(), tracked.link().name())
                            && busy.compareAndSet(false, true)) {
                        workers.execute(() -> {
                            try {
                                heartbeat.beat();
                            } finally {
                                busy.set(false);
                            }
                        });
                    }
                },
                0,
                heartbeat.beatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void scheduleCloudWatch(String region, List<Tracked> tracked) {
        long interval = tracked.stream()
                .mapToLong(t -> t.link().interval().toMillis())
                .min()
                .orElse(60_000);
        AtomicBoolean busy = new AtomicBoolean();
        timer.scheduleAtFixedRate(
                () -> {
                    List<Tracked> live = tracked.stream()
                            .filter(t ->
                                    topology.measures(t.group().id(), t.link().name()))
                            .toList();
                    if (live.isEmpty() || !busy.compareAndSet(false, true)) {
                        return;
                    }
                    workers.execute(() -> {
                        try {
                            Map<String, Instant> after = new HashMap<>();
                            for (Tracked t : live) {
                                Instant bound = notBefore(t);
                                if (bound != null) {
                                    after.put(t.link().name(), bound);
                                }
                            }
                            Map<String, LagReading> readings = cloudWatch.measure(
                                    region, live.stream().map(Tracked::link).toList(), after);
                            for (Tracked t : live) {
                                report(t, readings.get(t.link().name()));
                            }
                        } finally {
                            busy.set(false);
                        }
                    });
                },
                0,
                interval,
                TimeUnit.MILLISECONDS);
    }

    private static String key(Tracked t) {
        return t.group().id() + "/" + t.link().name();
    }

    /**
     * The minute a link's metric must be newer than: the datapoint there when it appeared, or else (the look at it
     * failed) the minute before it appeared; null for a link that existed when the tracker started.
     */
    private Instant notBefore(Tracked t) {
        Instant seen = notBefore.get(key(t));
        if (seen != null) {
            return seen;
        }
        Instant since = topology.liveSince(t.group().id(), t.link().name());
        return since == null ? null : since.minus(CloudWatchLag.PERIOD);
    }

    /**
     * Links re-protect just made: what CloudWatch holds under their names now is an earlier resource's (a re-created
     * replica has its predecessor's name), so the newest minute there is remembered, and only a later one counts.
     */
    private void appeared(String group, List<String> links) {
        for (String link : links) {
            String region = cloudWatchLinks.get(group + "/" + link);
            if (region == null) {
                continue; // measured on the databases themselves: no history to mistake
            }
            // on the reader's thread, before the link is measured: one CloudWatch call
            plan.group(group).flatMap(g -> g.link(link)).ifPresent(l -> {
                try {
                    LagReading before = cloudWatch.measure(region, List.of(l)).get(link);
                    if (before != null && before.dataAt() != null) {
                        notBefore.put(group + "/" + link, before.dataAt());
                        LOG.info(
                                "{}/{} appeared; its metric already has data of {} (an earlier resource's): only later"
                                        + " data counts",
                                group,
                                link,
                                before.dataAt());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("could not look at {}/{} as it appeared: {}", group, link, e.toString());
                }
            });
        }
    }

    private void report(Tracked tracked, LagReading reading) {
        ReplicationLink link = tracked.link();
        var now = clock.instant();
        publisher
                .publish(new ReplicationLagObserved(
                        tracked.group().id(),
                        link.name(),
                        link.from(),
                        link.to(),
                        reading.status(),
                        reading.lagMillis(),
                        reading.bytesBehind(),
                        CloudWatchLag.lagMethod(link.method()),
                        now,
                        reading.detail()))
                .exceptionally(error -> {
                    LOG.warn("could not publish the lag of {}: {}", link.name(), error.getMessage());
                    return null;
                });
        tracked.rpo().observe(reading, now).ifPresent(event -> {
            LOG.info("{}", event);
            publisher.publish(event).exceptionally(error -> {
                // Never dropped: the watch is put back, and the next reading over (or under) the line says it again.
                LOG.error(
                        "could not publish {} for {}; it is said again with the next reading: {}",
                        event.eventType().typeName(),
                        link.name(),
                        error.getMessage());
                tracked.rpo().notPublished(event);
                rpoEventsNotPublished.increment();
                return null;
            });
        });
    }

    private static int countLinks(Plan plan) {
        return plan.groups().stream().mapToInt(g -> g.possibleLinks().size()).sum();
    }

    @PreDestroy
    @Override
    public void close() {
        topologyReader.close();
        timer.shutdownNow();
        workers.shutdownNow();
        measurers.forEach(LagMeasurer::close);
        cloudWatch.close();
        secrets.close();
    }
}

package io.drplane.healthmonitor.schedule;

import io.drplane.events.ProbeSource;
import io.drplane.healthmonitor.probe.FailureClassifier;
import io.drplane.healthmonitor.probe.ProbeResult;
import io.drplane.healthmonitor.probe.ProbeTarget;
import io.drplane.healthmonitor.probe.Prober;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Fires every target's probe at its interval, each target at its own phase (a jitter derived from the vantage
 * point and the target, so vantage points do not probe in lockstep and a restart keeps the phase). The timer
 * thread only dispatches: probes are asynchronous, at most {@code maxInFlight} run at once, and each has a hard
 * deadline, so a slow, hanging or failing target never delays another. A probe that finds no free slot is
 * counted as skipped, not queued behind the others.
 */
public final class ProbeScheduler implements AutoCloseable {

    /** Latency histogram buckets per target: enough resolution for SLOs, few enough series for 1,000 targets. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5)
    };
    /** On top of the target's own timeouts, for probers that would not end by themselves. */
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(1);

    private final List<ProbeTarget> targets;
    private final List<Prober> probers;
    private final BiConsumer<ProbeTarget, ProbeResult> sink;
    private final String vantage;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Semaphore inFlight;
    private final MeterRegistry metrics;
    private final Timer scheduleLag;
    private final Counter skipped;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();

    public ProbeScheduler(
            List<ProbeTarget> targets,
            List<Prober> probers,
            BiConsumer<ProbeTarget, ProbeResult> sink,
            String vantage,
            Clock clock,
            ScheduledExecutorService timer,
            int maxInFlight,
            MeterRegistry metrics) {
        this.targets = List.copyOf(targets);
        this.probers = List.copyOf(probers);
        this.sink = sink;
        this.vantage = vantage;
        this.clock = clock;
        this.timer = timer;
        this.inFlight = new Semaphore(maxInFlight);
        this.metrics = metrics;
        this.scheduleLag = Timer.builder("drplane.health.schedule.lag")
                .description("how late probes start against their schedule")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
        this.skipped = Counter.builder("drplane.health.probes.skipped")
                .description("probes not started because the in-flight limit was reached")
                .register(metrics);
        for (ProbeTarget target : targets) {
            proberFor(target); // fail at start-up, not at the first probe, when a kind has no prober
        }
    }

    /** The phase of a target within its interval, in [0, interval): stable for one vantage point, different across them. */
    public static Duration phase(String vantage, ProbeTarget target) {
        long interval = target.target().interval().toMillis();
        long hash = (vantage + "|" + target.key()).hashCode() & 0x7fffffffL;
        return Duration.ofMillis(hash % interval);
    }

    public void start() {
        for (ProbeTarget target : targets) {
            long interval = target.target().interval().toNanos();
            long firstNanos = System.nanoTime() + phase(vantage, target).toNanos();
            long[] run = {0};
            schedules.add(timer.scheduleAtFixedRate(
                    () -> {
                        long due = firstNanos + run[0]++ * interval;
                        scheduleLag.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
                        fire(target);
                    },
                    phase(vantage, target).toNanos(),
                    interval,
                    TimeUnit.NANOSECONDS));
        }
    }

    /** Runs one probe now (also used by tests to probe without waiting for the schedule). */
    public CompletableFuture<ProbeResult> fire(ProbeTarget target) {
        if (!inFlight.tryAcquire()) {
            skipped.increment();
            return CompletableFuture.completedFuture(null);
        }
        Duration deadline = target.target()
                .connectTimeout()
                .plus(target.target().responseTimeout())
                .plus(DEADLINE_MARGIN);
        long started = System.nanoTime();
        CompletableFuture<ProbeResult> probe;
        try {
            probe = proberFor(target).probe(target);
        } catch (RuntimeException e) {
            probe = CompletableFuture.failedFuture(e);
        }
        return probe.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(error -> new ProbeResult(
                        sourceOf(target),
                        FailureClassifier.classify(error),
                        null,
                        (System.nanoTime() - started) / 1_000_000,
                        clock.instant(),
                        FailureClassifier.describe(error)))
                .whenComplete((result, error) -> {
                    inFlight.release();
                    if (result != null) {
                        record(target, result);
                        sink.accept(target, result);
                    }
                });
    }

    private void record(ProbeTarget target, ProbeResult result) {
        latency.computeIfAbsent(target.key(), key -> Timer.builder("drplane.health.probe.latency")
                        .description("probe latency per target")
                        .tags(
                                "group",
                                target.group(),
                                "region",
                                target.region(),
                                "target",
                                target.target().name())
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(metrics))
                .record(result.latencyMillis(), TimeUnit.MILLISECONDS);
        String outcomeKey = target.key() + "|" + result.outcome();
        outcomes.computeIfAbsent(outcomeKey, key -> Counter.builder("drplane.health.probes")
                        .description("probes by target and outcome; every outcome but OK is a failure class")
                        .tags(
                                "group",
                                target.group(),
                                "region",
                                target.region(),
                                "target",
                                target.target().name(),
                                "outcome",
                                result.outcome().name())
                        .register(metrics))
                .increment();
    }

    private Prober proberFor(ProbeTarget target) {
        for (Prober prober : probers) {
            if (prober.handles(target.target().kind())) {
                return prober;
            }
        }
        throw new IllegalStateException("no prober for " + target.target().kind() + " (target " + target.key() + ")");
    }

    private static ProbeSource sourceOf(ProbeTarget target) {
        return switch (target.target().kind()) {
            case HTTP -> ProbeSource.HTTP;
            case HTTPS -> ProbeSource.HTTPS;
            case TCP -> ProbeSource.TCP;
            case ROUTE53_HEALTH_CHECK -> ProbeSource.ROUTE53_HEALTH_CHECK;
            case CLOUDWATCH_ALARM -> ProbeSource.CLOUDWATCH_ALARM;
            case ELB_TARGET_HEALTH -> ProbeSource.ELB_TARGET_HEALTH;
        };
    }

    @Override
    public void close() {
        schedules.forEach(s -> s.cancel(false));
    }
}

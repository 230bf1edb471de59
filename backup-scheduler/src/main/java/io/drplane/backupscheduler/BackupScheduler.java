package io.drplane.backupscheduler;

import io.drplane.aws.ResilienceSettings;
import io.drplane.backupscheduler.engine.AwsBackupEngine;
import io.drplane.backupscheduler.engine.BackupEngine;
import io.drplane.backupscheduler.engine.NativeEngine;
import io.drplane.backupscheduler.engine.RegionClients;
import io.drplane.backupscheduler.kafka.BackupSchedulerLoop;
import io.drplane.backupscheduler.run.GroupBackups;
import io.drplane.backupscheduler.run.RestoreValidator;
import io.drplane.backupscheduler.schedule.TimeScale;
import io.drplane.backupscheduler.validate.SqlValidator;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.plan.BackupPlan;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.runtime.ServiceIdentity;
import io.drplane.runtime.WorkerHealth;
import io.drplane.runtime.secrets.SecretResolver;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Wires every region's AWS clients and the plan's engines to the scheduler's loop, and runs it. */
@Context
public class BackupScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

    private final Map<String, RegionClients> regions = new TreeMap<>();
    private final BackupSchedulerLoop loop;
    private final Thread thread;
    private final WorkerHealth health;
    private final SecretResolver secrets;

    public BackupScheduler(
            Plan plan,
            ServiceIdentity identity,
            KafkaClientConfig kafka,
            Clock clock,
            WorkerHealth health,
            MeterRegistry metrics,
            @Nullable @Value("${drplane.aws.endpoint:}") String awsEndpoint,
            @Value("${drplane.backup.tick-interval:5s}") Duration tickInterval,
            @Value("${drplane.backup.sweep-interval:1h}") Duration sweepInterval,
            @Value("${drplane.backup.max-attempts:5}") int maxAttempts,
            @Value("${drplane.backup.initial-backoff:500ms}") Duration initialBackoff,
            @Value("${drplane.backup.call-timeout:30s}") Duration callTimeout,
            @Value("${drplane.backup.calls-per-second:10}") int callsPerSecond,
            @Value("${drplane.backup.parallelism:8}") int parallelism,
            @Value("${drplane.backup.inventory-ttl:30s}") Duration inventoryTtl,
            @Value("${drplane.backup.time-scale:1}") long timeScale,
            @Nullable @Value("${drplane.backup.time-anchor:}") String timeAnchor,
            @Nullable @Value("${drplane.backup.validation-endpoint:}") String validationEndpoint) {
        TimeScale scale = timeScale(plan, timeScale, timeAnchor, clock);
        Optional<URI> endpoint =
                awsEndpoint == null || awsEndpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(awsEndpoint));
        ResilienceSettings resilience = ResilienceSettings.of(maxAttempts, initialBackoff, callsPerSecond, callTimeout);
        var credentials = DefaultCredentialsProvider.builder().build();
        for (Group group : plan.groups()) {
            if (group.backup() == null) {
                continue;
            }
            for (String region : group.backup().regions()) {
                regions.computeIfAbsent(
                        region, r -> new RegionClients(r, endpoint, credentials, resilience, List.of()));
            }
        }
        this.secrets = new SecretResolver(System::getenv, endpoint);
        RestoreValidator validator = new SqlValidator(
                secrets::resolve,
                validationEndpoint == null || validationEndpoint.isBlank()
                        ? Optional.empty()
                        : Optional.of(validationEndpoint),
                Duration.ofSeconds(30));
        NativeEngine nativeEngine = new NativeEngine(regions, clock::instant, scale, inventoryTtl);
        Map<String, BackupEngine> awsBackup = new TreeMap<>();
        this.loop = new BackupSchedulerLoop(
                plan,
                kafka,
                identity.getInstance(),
                identity.source(),
                (group, activated) -> new GroupBackups(
                        group,
                        group.backup().engine() == BackupPlan.Engine.NATIVE
                                ? nativeEngine
                                : awsBackup.computeIfAbsent(
                                        group.id(), id -> new AwsBackupEngine(regions, group.backup(), clock::instant)),
                        validator,
                        scale,
                        activated),
                clock,
                tickInterval,
                sweepInterval,
                parallelism);
        FunctionCounter.builder("drplane.backup.events", loop, BackupSchedulerLoop::publishedCount)
                .register(metrics);
        Gauge.builder("drplane.backup.groups.owned", loop, BackupSchedulerLoop::ownedGroups)
                .register(metrics);
        this.thread = new Thread(loop, "backup-scheduler-loop");
        thread.setDaemon(true);
        thread.start();
        this.health = health;
        health.registerWithReason("backup-scheduler-loop", () -> loop.problem()
                .or(() -> thread.isAlive() ? Optional.empty() : Optional.of("the loop's thread has ended")));
        LOG.info(
                "backup scheduler for {} group(s) with backups; AWS: {}",
                plan.groups().stream().filter(g -> g.backup() != null).count(),
                endpoint.map(uri -> "endpoint override " + uri).orElse("the regions' real endpoints"));
    }

    /**
     * The clock the schedules run on: real, or for a demo or a game day {@code time-scale} times faster from
     * {@code time-anchor} (the same instant for every instance, so they agree on the runs). AWS Backup keeps its own
     * windows and lifecycle in real time, so a compressed clock is refused for a group on the aws-backup engine.
     */
    static TimeScale timeScale(Plan plan, long factor, String anchor, Clock clock) {
        if (factor < 1) {
            throw new IllegalArgumentException("DRPLANE_BACKUP_TIME_SCALE is " + factor
                    + "; allowed: a whole number of at least 1 (1: real time)");
        }
        if (factor == 1) {
            return TimeScale.REAL;
        }
        for (Group group : plan.groups()) {
            if (group.backup() != null && group.backup().engine() != BackupPlan.Engine.NATIVE) {
                throw new IllegalArgumentException("DRPLANE_BACKUP_TIME_SCALE is " + factor + ", but " + group.id()
                        + " backs up with the aws-backup engine, whose windows and lifecycle AWS Backup keeps in real"
                        + " time; allowed with it: 1 (or set backup.engine: native)");
            }
        }
        Instant at;
        try {
            at = anchor == null || anchor.isBlank() ? clock.instant() : Instant.parse(anchor);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("DRPLANE_BACKUP_TIME_ANCHOR is '" + anchor
                    + "'; allowed: an ISO-8601 instant such as 2026-12-05T07:00:00Z");
        }
        TimeScale scale = new TimeScale(factor, at);
        LOG.warn(
                "backup schedules run on a compressed clock, {} from {}: for demos and game days, never in production",
                scale.describe(),
                at);
        return scale;
    }

    public BackupSchedulerLoop loop() {
        return loop;
    }

    @PreDestroy
    @Override
    public void close() {
        health.deregister("backup-scheduler-loop");
        loop.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        regions.values().forEach(RegionClients::close);
        secrets.close();
    }
}

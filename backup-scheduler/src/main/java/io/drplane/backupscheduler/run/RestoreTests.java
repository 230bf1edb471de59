package io.drplane.backupscheduler.run;

import io.drplane.aws.AwsCallException;
import io.drplane.backupscheduler.engine.BackupEngine;
import io.drplane.backupscheduler.engine.DatabaseEndpoint;
import io.drplane.backupscheduler.engine.JobStatus;
import io.drplane.backupscheduler.engine.NativeEngine;
import io.drplane.backupscheduler.engine.RecoveryPoint;
import io.drplane.backupscheduler.schedule.TimeScale;
import io.drplane.events.BackupRestoreTested;
import io.drplane.events.GroupEvent;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.plan.DurationText;
import io.drplane.plan.Group;
import io.drplane.plan.RestoreTest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group's restore tests, AWS Backup restore testing done by drplane: when one is due, pick a recovery point of its
 * rule in its region (the newest, or a random one of a window), restore it under a temporary name, wait until it is
 * available, validate it, always delete it, and publish {@code backup.restore-tested} with the restore time against the
 * group's RTO. What a crash left behind is deleted by the sweep.
 */
final class RestoreTests {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreTests.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    /** A restore not available after this long has failed, whatever the service says. */
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

    private final Group group;
    private final BackupEngine engine;
    private final RestoreValidator validator;
    private final TimeScale scale;
    private final Map<String, Instant> considered = new TreeMap<>();
    /** Per test, its next occurrence after {@link #considered}. */
    private final Map<String, Instant> nextOccurrence = new TreeMap<>();

    private final Map<String, Running> running = new LinkedHashMap<>();

    private record Running(RestoreTest test, RecoveryPoint point, String name, Instant startedAt) {}

    RestoreTests(Group group, BackupEngine engine, RestoreValidator validator, TimeScale scale, Instant activatedAt) {
        this.group = group;
        this.scale = scale;
        this.engine = engine;
        this.validator = validator;
        group.backup().restoreTests().forEach(t -> considered.put(t.name(), activatedAt));
    }

    List<GroupEvent> tick(Instant now) {
        List<GroupEvent> out = new ArrayList<>();
        for (RestoreTest test : group.backup().restoreTests()) {
            Optional<Instant> due = latestDue(test, now);
            if (due.isEmpty() || running.containsKey(test.name())) {
                continue;
            }
            considered.put(test.name(), due.get());
            start(test, due.get(), now, out);
        }
        for (var it = running.values().iterator(); it.hasNext(); ) {
            Running r = it.next();
            if (r.startedAt().equals(now)) {
                continue; // a restore takes at least a tick: it is timed from the tick that started it to the one that
                // sees it
            }
            JobStatus status;
            try {
                status = engine.restoreStatus(r.point(), r.name());
            } catch (AwsCallException e) {
                LOG.warn("could not read the restore {} of {}: {}", r.name(), group.id(), e.getMessage());
                continue;
            }
            Duration took = Duration.between(r.startedAt(), now);
            if (status.phase() == JobStatus.Phase.RUNNING && took.compareTo(GIVE_UP_AFTER) < 0) {
                continue;
            }
            it.remove();
            out.add(finish(r, status, took, now));
        }
        return out;
    }

    /** Deletes what restore tests left behind (a crash between a restore and its deletion). */
    void sweep() {
        Set<String> regions = new java.util.TreeSet<>();
        group.backup().restoreTests().forEach(t -> regions.add(t.region()));
        for (String region : regions) {
            try {
                for (BackupEngine.RestoredResource left : engine.leftoverRestores(group.id(), region)) {
                    boolean ours =
                            running.values().stream().anyMatch(r -> r.name().equals(left.name()));
                    if (!ours) {
                        LOG.info(
                                "deleting {} in {}, left by an earlier restore test of {}",
                                left.name(),
                                region,
                                group.id());
                        engine.deleteRestored(
                                new RecoveryPoint(
                                        left.name(),
                                        region,
                                        left.kind(),
                                        group.id(),
                                        "",
                                        left.name(),
                                        Instant.EPOCH,
                                        false,
                                        null),
                                left.name());
                    }
                }
            } catch (AwsCallException e) {
                LOG.warn("could not sweep the restore tests of {} in {}: {}", group.id(), region, e.getMessage());
            }
        }
    }

    private Optional<Instant> latestDue(RestoreTest test, Instant now) {
        Instant upcoming = nextOccurrence.computeIfAbsent(
                test.name(), t -> scale.nextAfter(test.schedule(), considered.get(t), considered.get(t), ZoneOffset.UTC)
                        .orElse(Instant.MAX));
        if (now.isBefore(upcoming)) {
            return Optional.empty(); // the common case, without walking the schedule
        }
        nextOccurrence.remove(test.name());
        Instant cursor = considered.get(test.name());
        Instant latest = null;
        for (int i = 0; i < 1000; i++) {
            Optional<Instant> next =
                    scale.nextAfter(test.schedule(), cursor, considered.get(test.name()), ZoneOffset.UTC);
            if (next.isEmpty() || next.get().isAfter(now)) {
                break;
            }
            latest = next.get();
            cursor = latest;
        }
        return Optional.ofNullable(latest);
    }

    private void start(RestoreTest test, Instant scheduledFor, Instant now, List<GroupEvent> out) {
        List<RecoveryPoint> points;
        try {
            points = engine.currentRecoveryPoints(group.id(), Set.of(test.rule()), test.region()).stream()
                    .filter(p -> p.usable() && p.rule().equals(test.rule()))
                    .sorted(Comparator.comparing(RecoveryPoint::dataTime))
                    .toList();
        } catch (AwsCallException e) {
            out.add(failed(
                    test,
                    null,
                    null,
                    "could not list the recovery points of " + test.rule() + " in " + test.region() + ": "
                            + e.errorCode() + " " + e.getMessage(),
                    now));
            return;
        }
        Optional<RecoveryPoint> point = pick(test, points, scheduledFor, now);
        if (point.isEmpty()) {
            out.add(failed(
                    test,
                    null,
                    null,
                    "no usable recovery point of " + test.rule() + " in " + test.region()
                            + (test.pick() == RestoreTest.Pick.RANDOM
                                    ? " from the last " + DurationText.of(test.window())
                                    : "")
                            + " to restore.",
                    now));
            return;
        }
        String name = restoreName(test, scheduledFor);
        try {
            JobStatus status = engine.startRestore(point.get(), name);
            Running r = new Running(test, point.get(), name, now);
            if (status.phase() == JobStatus.Phase.FAILED) {
                out.add(finish(r, status, Duration.ZERO, now));
            } else {
                running.put(test.name(), r);
                LOG.info(
                        "restore test {} of {}: restoring {} as {}",
                        test.name(),
                        group.id(),
                        point.get().id(),
                        name);
            }
        } catch (AwsCallException e) {
            out.add(failed(
                    test,
                    point.get(),
                    null,
                    "the restore of " + point.get().id() + " could not start: " + e.errorCode() + " " + e.getMessage(),
                    now));
        }
    }

    private Optional<String> validate(Running r) {
        if (r.test().validation() == null) {
            // available is enough: no need to ask where it answers
            return validator.problem(new RestoreValidator.Restored(r.test(), r.point(), r.name(), Optional.empty()));
        }
        Optional<DatabaseEndpoint> endpoint;
        try {
            endpoint = engine.restoredEndpoint(r.point(), r.name());
        } catch (AwsCallException e) {
            return Optional.of(
                    "could not read where " + r.name() + " answers: " + e.errorCode() + " " + e.getMessage());
        }
        return validator.problem(new RestoreValidator.Restored(r.test(), r.point(), r.name(), endpoint));
    }

    private GroupEvent finish(Running r, JobStatus status, Duration took, Instant now) {
        Optional<String> problem = status.phase() == JobStatus.Phase.COMPLETED
                ? validate(r)
                : Optional.of(
                        status.phase() == JobStatus.Phase.RUNNING
                                ? "it was not available after " + DurationText.of(GIVE_UP_AFTER)
                                : status.errorCode() + ": " + status.message());
        if (status.phase() == JobStatus.Phase.COMPLETED) {
            try {
                engine.reportValidation(r.point(), r.name(), problem.isEmpty(), problem.orElse("validated by drplane"));
            } catch (AwsCallException e) {
                LOG.warn("could not report the validation of {}: {}", r.name(), e.getMessage());
            }
        }
        try {
            engine.deleteRestored(r.point(), r.name()); // always: a restore test leaves nothing behind
        } catch (AwsCallException e) {
            LOG.warn("could not delete {} after its restore test; the sweep tries again: {}", r.name(), e.getMessage());
        }
        if (problem.isPresent()) {
            return failed(
                    r.test(),
                    r.point(),
                    took,
                    "the restore of " + r.point().id() + " as " + r.name() + " failed: " + problem.get(),
                    now);
        }
        Duration rto = group.objectives().rto();
        boolean slow = took.compareTo(rto) > 0;
        return new BackupRestoreTested(
                group.id(),
                r.test().rule(),
                r.test().region(),
                r.point().id(),
                took.toMillis(),
                rto.toMillis(),
                true,
                now,
                Reason.of(
                        slow ? ReasonCode.RESTORE_SLOWER_THAN_RTO : ReasonCode.RESTORE_TEST_PASSED,
                        r.point().id() + " restored in " + r.test().region() + " and validated in "
                                + DurationText.roughly(took) + (slow ? ", longer than" : ", within") + " the RTO of "
                                + DurationText.of(rto) + "."));
    }

    private GroupEvent failed(RestoreTest test, RecoveryPoint point, Duration took, String sentence, Instant now) {
        return new BackupRestoreTested(
                group.id(),
                test.rule(),
                test.region(),
                point == null ? "" : point.id(),
                took == null ? null : took.toMillis(),
                group.objectives().rto().toMillis(),
                false,
                now,
                Reason.of(ReasonCode.RESTORE_TEST_FAILED, test.name() + ": " + sentence));
    }

    private Optional<RecoveryPoint> pick(
            RestoreTest test, List<RecoveryPoint> points, Instant scheduledFor, Instant now) {
        if (points.isEmpty()) {
            return Optional.empty();
        }
        if (test.pick() == RestoreTest.Pick.LATEST) {
            return Optional.of(points.get(points.size() - 1));
        }
        List<RecoveryPoint> recent = points.stream()
                .filter(p -> !p.dataTime().isBefore(now.minus(scale.realDuration(test.window()))))
                .toList();
        if (recent.isEmpty()) {
            return Optional.empty();
        }
        // random, but the same for every owner of the same run
        Random random = new Random(Objects.hash(test.name(), scheduledFor));
        return Optional.of(recent.get(random.nextInt(recent.size())));
    }

    /** A name every service takes (lower case, hyphens, at most 63 characters, as an RDS identifier). */
    private String restoreName(RestoreTest test, Instant scheduledFor) {
        String name = NativeEngine.restorePrefix(group.id()) + test.name().toLowerCase(java.util.Locale.ROOT) + "-"
                + STAMP.format(scheduledFor);
        name = name.replaceAll("[^a-z0-9-]", "-").replaceAll("-{2,}", "-");
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        return name.replaceAll("-$", "");
    }
}

package io.drplane.backupscheduler.run;

import io.drplane.aws.AwsCallException;
import io.drplane.backupscheduler.engine.BackupEngine;
import io.drplane.backupscheduler.engine.BackupJob;
import io.drplane.backupscheduler.engine.CopyJob;
import io.drplane.backupscheduler.engine.JobStatus;
import io.drplane.backupscheduler.engine.RecoveryPoint;
import io.drplane.backupscheduler.engine.ResourceArn;
import io.drplane.backupscheduler.rpo.RecoveryPointAge;
import io.drplane.backupscheduler.schedule.Occurrence;
import io.drplane.backupscheduler.schedule.RuleSchedule;
import io.drplane.backupscheduler.schedule.TimeScale;
import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupCopyFailed;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.BackupJobFailed;
import io.drplane.events.BackupJobMissed;
import io.drplane.events.BackupJobStarted;
import io.drplane.events.EventData;
import io.drplane.events.GroupEvent;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RecoveryPointExpired;
import io.drplane.plan.BackupPlan;
import io.drplane.plan.BackupRule;
import io.drplane.plan.CopyAction;
import io.drplane.plan.DurationText;
import io.drplane.plan.Group;
import io.drplane.plan.Lifecycle;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group's backups, run by the instance that owns the group: its rules' schedules (AWS Backup semantics: a job
 * starts within its start window or is missed, completes within its completion window or is missed; rules due together
 * make one recovery point kept as long as the longest of them), the jobs and copies in flight, the lifecycle of what
 * they made, and the RPO of every rule in the backup region and every copy region.
 *
 * <p>Everything it knows can be rebuilt: from the group's events on the backup topic ({@link #remember}) and from the
 * AWS inventory ({@link #sweep}), so a new owner neither skips nor doubles a job. Time comes from the caller; AWS from
 * the engine, whose every start is idempotent by name.
 */
public final class GroupBackups {

    private static final Logger LOG = LoggerFactory.getLogger(GroupBackups.class);
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Group group;
    private final BackupPlan plan;
    private final BackupEngine engine;
    private final RestoreTests restoreTests;
    private final TimeScale scale;
    private final Map<String, RuleSchedule> schedules = new LinkedHashMap<>();
    /** Per rule, the latest scheduled time already handled (started, starting or missed). */
    private final Map<String, Instant> considered = new TreeMap<>();
    /** Per rule, its next occurrence after {@link #considered}: a tick before it has nothing to schedule. */
    private final Map<String, Instant> nextOccurrence = new TreeMap<>();

    private final List<Starting> starting = new ArrayList<>();
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final Map<String, Copying> copying = new LinkedHashMap<>();
    /** Per {@code RULE@REGION}, the data time of the newest usable recovery point. */
    private final Map<String, Instant> newest = new TreeMap<>();

    private final Map<String, RecoveryPointAge> ages = new TreeMap<>();
    private final Set<String> expired = new HashSet<>();
    /** Points moved to cold storage (or found to have no cold tier) by this owner: asked once each. */
    private final Set<String> archived = new HashSet<>();

    private Instant since;

    /** A backup waiting to start: it may be retried until its start window closes. */
    private record Starting(List<BackupRule> rules, Occurrence occurrence, BackupJob job, String lastError) {}

    private record Running(List<String> rules, BackupJob job, String jobId, Instant startedAt) {}

    private record Copying(List<String> rules, CopyJob copy, String jobId) {}

    public GroupBackups(Group group, BackupEngine engine, Instant activatedAt) {
        this(group, engine, RestoreValidator.AVAILABLE, activatedAt);
    }

    public GroupBackups(Group group, BackupEngine engine, RestoreValidator validator, Instant activatedAt) {
        this(group, engine, validator, TimeScale.REAL, activatedAt);
    }

    /** {@code scale}: the clock the plan's schedules, windows, RPO and retention are read on (real but for demos). */
    public GroupBackups(
            Group group, BackupEngine engine, RestoreValidator validator, TimeScale scale, Instant activatedAt) {
        this.scale = scale;
        this.restoreTests = new RestoreTests(group, engine, validator, scale, activatedAt);
        this.group = group;
        this.plan = group.backup();
        this.engine = engine;
        this.since = activatedAt;
        for (BackupRule rule : plan.rules()) {
            schedules.put(rule.name(), new RuleSchedule(group.id(), rule, activatedAt, scale));
            considered.put(rule.name(), activatedAt);
            for (String region : regionsOf(rule)) {
                ages.put(
                        key(rule.name(), region),
                        new RecoveryPointAge(group.id(), rule.name(), region, scale.realDuration(rule.rpo())));
            }
        }
    }

    public String groupId() {
        return group.id();
    }

    /** Takes in one of the group's past events (rebuilding after a new assignment); publishes nothing. */
    public void remember(EventData data, Instant at) {
        if (at.isBefore(since)) {
            since = at;
        }
        if (data instanceof BackupJobStarted s) {
            advance(s.rule(), s.scheduledFor());
            rule(s.rule()).ifPresent(rule -> {
                Running known = running.get(s.jobId());
                List<String> rules = new ArrayList<>(known == null ? List.of() : known.rules());
                rules.add(s.rule());
                ResourceArn resource = ResourceArn.of(s.resourceArn());
                Occurrence occurrence = schedules.get(lead(rules).name()).occurrence(s.scheduledFor());
                running.put(
                        s.jobId(),
                        new Running(
                                rules,
                                job(lead(rules), rulesOf(rules), occurrence, resource),
                                s.jobId(),
                                s.startedAt()));
            });
        } else if (data instanceof BackupJobMissed m) {
            advance(m.rule(), m.scheduledFor());
        } else if (data instanceof BackupJobCompleted c) {
            Running done = running.remove(c.jobId());
            seen(c.rule(), c.region(), c.createdAt());
            if (done != null) {
                owedCopies(done, c.recoveryPointArn(), c.createdAt());
            }
        } else if (data instanceof BackupJobFailed f) {
            running.remove(f.jobId());
        } else if (data instanceof BackupCopyCompleted c) {
            seen(c.rule(), c.destinationRegion(), c.sourceCreatedAt());
            copying.remove(copyKey(c.destinationRegion(), c.copyJobId()));
        } else if (data instanceof BackupCopyFailed f) {
            copying.remove(copyKey(f.destinationRegion(), f.copyJobId()));
        } else if (data instanceof RecoveryPointExpired e) {
            expired.add(e.recoveryPointArn());
        }
    }

    /**
     * Everything due at {@code now}: missed runs reported, due runs started, jobs and copies polled, and the RPO of
     * every rule and region checked. Returns the events to publish, in order.
     */
    public List<GroupEvent> tick(Instant now) {
        List<GroupEvent> out = new ArrayList<>();
        schedule(now, out);
        start(now, out);
        poll(now, out);
        pollCopies(now, out);
        out.addAll(restoreTests.tick(now));
        for (Map.Entry<String, RecoveryPointAge> age : ages.entrySet()) {
            age.getValue()
                    .evaluate(Optional.ofNullable(newest.get(age.getKey())), since, now)
                    .ifPresent(out::add);
        }
        return out;
    }

    /**
     * Reads drplane's recovery points of the group from AWS: learns the newest (what events may not have said), and
     * deletes those whose retention ended (native snapshots never expire by themselves).
     */
    public List<GroupEvent> sweep(Instant now) {
        List<GroupEvent> out = new ArrayList<>();
        restoreTests.sweep();
        Set<String> rules = new TreeSet<>(schedules.keySet());
        for (String region : plan.regions()) {
            List<RecoveryPoint> points;
            try {
                points = engine.recoveryPoints(group.id(), rules, region);
            } catch (AwsCallException e) {
                LOG.warn("could not list the recovery points of {} in {}: {}", group.id(), region, e.getMessage());
                continue;
            }
            for (RecoveryPoint point : points) {
                if (point.usable()) {
                    seen(point.rule(), region, point.dataTime());
                }
                Instant coldAfter = coldAfter(point);
                if (coldAfter != null && !coldAfter.isAfter(now) && archived.add(point.id())) {
                    try {
                        if (engine.archive(point)) {
                            LOG.info("moved {} of {} in {} to cold storage", point.id(), group.id(), region);
                        }
                    } catch (AwsCallException e) {
                        archived.remove(point.id()); // the next sweep tries again
                        LOG.warn("could not move {} in {} to cold storage: {}", point.id(), region, e.getMessage());
                    }
                }
                Instant deleteAfter = point.deleteAfter() != null ? point.deleteAfter() : deleteAfter(point);
                if (deleteAfter != null && !deleteAfter.isAfter(now) && !expired.contains(point.id())) {
                    try {
                        engine.delete(point);
                        expired.add(point.id());
                        out.add(new RecoveryPointExpired(group.id(), point.rule(), region, point.id(), now));
                    } catch (AwsCallException e) {
                        LOG.warn("could not delete {} in {}: {}", point.id(), region, e.getMessage());
                    }
                }
            }
        }
        return out;
    }

    /** The next time a rule is due: when the owner must wake up at the latest (jobs in flight need polling sooner). */
    public Optional<Instant> nextDue() {
        return schedules.entrySet().stream()
                .map(e -> e.getValue().nextAfter(considered.get(e.getKey())))
                .flatMap(Optional::stream)
                .min(Comparator.naturalOrder());
    }

    public boolean busy() {
        return !starting.isEmpty() || !running.isEmpty() || !copying.isEmpty();
    }

    // scheduling

    private void schedule(Instant now, List<GroupEvent> out) {
        List<Map.Entry<BackupRule, Occurrence>> runs = new ArrayList<>();
        for (BackupRule rule : plan.rules()) {
            // a cron evaluation per rule per tick adds up over thousands of rules: only once the next one is due
            Instant next = nextOccurrence.computeIfAbsent(
                    rule.name(),
                    r -> schedules.get(r).nextAfter(considered.get(r)).orElse(Instant.MAX));
            if (now.isBefore(next)) {
                continue;
            }
            RuleSchedule.Due due = schedules.get(rule.name()).due(considered.get(rule.name()), now);
            for (Occurrence missed : due.missed()) {
                out.add(missed(
                        rule,
                        missed,
                        ReasonCode.BACKUP_WINDOW_MISSED,
                        rule.name() + " was due at " + WHEN.format(missed.scheduledFor())
                                + " and did not start within its " + DurationText.of(startWindow(missed))
                                + " start window (no scheduler owned the group then)."));
                advance(rule.name(), missed.scheduledFor());
            }
            due.run().ifPresent(run -> {
                runs.add(Map.entry(rule, run));
                advance(rule.name(), run.scheduledFor());
            });
        }
        if (runs.isEmpty()) {
            return;
        }
        // rules due together make one recovery point, kept as long as the longest of them (AWS Backup's rule)
        List<BackupRule> rules = runs.stream().map(Map.Entry::getKey).toList();
        BackupRule lead = lead(rules.stream().map(BackupRule::name).toList());
        Occurrence occurrence = runs.stream()
                .filter(e -> e.getKey() == lead)
                .findFirst()
                .orElseThrow()
                .getValue();
        for (String arn : plan.resources()) {
            ResourceArn resource = ResourceArn.of(arn);
            starting.add(new Starting(rules, occurrence, job(lead, rules, occurrence, resource), null));
        }
    }

    private void start(Instant now, List<GroupEvent> out) {
        for (var it = starting.listIterator(); it.hasNext(); ) {
            Starting s = it.next();
            if (!s.occurrence().startableAt(now)) {
                it.remove();
                for (BackupRule rule : s.rules()) {
                    out.add(missed(
                            rule,
                            s.occurrence(),
                            ReasonCode.BACKUP_WINDOW_MISSED,
                            rule.name() + " was due at "
                                    + WHEN.format(s.occurrence().scheduledFor())
                                    + " and could not start within its "
                                    + DurationText.of(startWindow(s.occurrence()))
                                    + " start window: " + s.lastError() + "."));
                }
                continue;
            }
            try {
                JobStatus status = engine.startBackup(s.job());
                it.remove();
                List<String> names = s.rules().stream().map(BackupRule::name).toList();
                running.put(status.jobId(), new Running(names, s.job(), status.jobId(), now));
                for (String rule : names) {
                    out.add(new BackupJobStarted(
                            group.id(),
                            rule,
                            s.job().region(),
                            status.jobId(),
                            s.job().resource().arn(),
                            s.job().vault(),
                            s.occurrence().scheduledFor(),
                            now));
                }
            } catch (AwsCallException e) {
                // tried again on the next tick while the window is open; reported missed with this error once it closes
                it.set(new Starting(s.rules(), s.occurrence(), s.job(), e.errorCode() + " " + e.getMessage()));
            }
        }
    }

    private void poll(Instant now, List<GroupEvent> out) {
        for (var it = running.values().iterator(); it.hasNext(); ) {
            Running r = it.next();
            JobStatus status;
            try {
                status = engine.backupStatus(r.job(), r.jobId());
            } catch (AwsCallException e) {
                LOG.warn("could not read backup job {} of {}: {}", r.jobId(), group.id(), e.getMessage());
                continue;
            }
            switch (status.phase()) {
                case COMPLETED -> {
                    it.remove();
                    for (String rule : r.rules()) {
                        out.add(new BackupJobCompleted(
                                group.id(),
                                rule,
                                r.job().region(),
                                r.jobId(),
                                status.pointId(),
                                status.sizeBytes(),
                                status.createdAt(),
                                now));
                        seen(rule, r.job().region(), status.createdAt());
                    }
                    owedCopies(r, status.pointId(), status.createdAt());
                }
                case FAILED -> {
                    it.remove();
                    for (String rule : r.rules()) {
                        out.add(new BackupJobFailed(
                                group.id(),
                                rule,
                                r.job().region(),
                                r.jobId(),
                                status.errorCode(),
                                status.message(),
                                now));
                    }
                }
                case RUNNING -> {
                    if (!now.isBefore(r.job().completeBy())) {
                        it.remove();
                        for (String name : r.rules()) {
                            out.add(new BackupJobMissed(
                                    group.id(),
                                    name,
                                    r.job().region(),
                                    r.job().scheduledFor(),
                                    r.job().completeBy(),
                                    Reason.of(
                                            ReasonCode.BACKUP_COMPLETION_WINDOW_MISSED,
                                            name + " started at " + WHEN.format(r.startedAt())
                                                    + " and did not complete within its "
                                                    + DurationText.of(Duration.between(
                                                            r.job().scheduledFor(),
                                                            r.job().completeBy()))
                                                    + " completion window; its recovery point does not count.")));
                        }
                    }
                }
            }
        }
    }

    private void pollCopies(Instant now, List<GroupEvent> out) {
        for (var it = copying.values().iterator(); it.hasNext(); ) {
            Copying c = it.next();
            JobStatus status;
            try {
                status = c.jobId() == null ? engine.startCopy(c.copy()) : engine.copyStatus(c.copy(), c.jobId());
            } catch (AwsCallException e) {
                it.remove();
                for (String rule : c.rules()) {
                    out.add(copyFailed(rule, c.copy(), e.errorCode(), e.getMessage(), now));
                }
                continue;
            }
            switch (status.phase()) {
                case COMPLETED -> {
                    it.remove();
                    for (String rule : c.rules()) {
                        out.add(new BackupCopyCompleted(
                                group.id(),
                                rule,
                                c.copy().sourceRegion(),
                                c.copy().destinationRegion(),
                                c.copy().name(),
                                status.pointId(),
                                c.copy().sourceCreatedAt(),
                                now));
                        seen(rule, c.copy().destinationRegion(), c.copy().sourceCreatedAt());
                    }
                }
                case FAILED -> {
                    it.remove();
                    for (String rule : c.rules()) {
                        out.add(copyFailed(rule, c.copy(), status.errorCode(), status.message(), now));
                    }
                }
                case RUNNING -> copying.put(
                        copyKey(c.copy().destinationRegion(), c.copy().name()),
                        new Copying(c.rules(), c.copy(), status.jobId()));
            }
        }
    }

    private BackupCopyFailed copyFailed(String rule, CopyJob copy, String code, String message, Instant now) {
        return new BackupCopyFailed(
                group.id(), rule, copy.sourceRegion(), copy.destinationRegion(), copy.name(), code, message, now);
    }

    /** The copies a completed backup owes: one per destination region, kept as long as its longest rule asks. */
    private void owedCopies(Running done, String pointId, Instant createdAt) {
        Map<String, List<String>> rulesByRegion = new TreeMap<>();
        Map<String, CopyAction> actionByRegion = new TreeMap<>();
        for (String name : done.rules()) {
            for (CopyAction action : rule(name).map(BackupRule::copyTo).orElse(List.of())) {
                rulesByRegion
                        .computeIfAbsent(action.region(), r -> new ArrayList<>())
                        .add(name);
                actionByRegion.merge(
                        action.region(),
                        action,
                        (a, b) -> longer(a.lifecycle(), b.lifecycle()) == a.lifecycle() ? a : b);
            }
        }
        for (Map.Entry<String, CopyAction> entry : actionByRegion.entrySet()) {
            CopyAction action = entry.getValue();
            CopyJob copy = new CopyJob(
                    group.id(),
                    done.rules().get(0),
                    done.job().resource(),
                    done.job().region(),
                    done.job().vault(),
                    pointId,
                    createdAt,
                    action.region(),
                    action.vault(),
                    done.job().name(),
                    action.lifecycle());
            copying.put(
                    copyKey(action.region(), copy.name()), new Copying(rulesByRegion.get(entry.getKey()), copy, null));
        }
    }

    // helpers

    private GroupEvent missed(BackupRule rule, Occurrence occurrence, ReasonCode code, String sentence) {
        return new BackupJobMissed(
                group.id(),
                rule.name(),
                plan.region(),
                occurrence.scheduledFor(),
                occurrence.startBy(),
                Reason.of(code, sentence));
    }

    private BackupJob job(BackupRule lead, List<BackupRule> rules, Occurrence occurrence, ResourceArn resource) {
        return new BackupJob(
                group.id(),
                lead.name(),
                plan.region(),
                plan.vault(),
                resource,
                pointName(occurrence, resource),
                occurrence.scheduledFor(),
                occurrence.startBy(),
                occurrence.completeBy(),
                longestOf(rules));
    }

    /**
     * The run's name and the resource's: lower-case letters, digits and single hyphens, as RDS identifiers must be
     * (RDS keeps them in lower case, so the name is what a describe returns).
     */
    static String pointName(Occurrence occurrence, ResourceArn resource) {
        String name = (occurrence.name() + "-" + resource.name())
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "-");
        name = name.replaceAll("-{2,}", "-").replaceAll("-$", "");
        return name.length() <= 255 ? name : name.substring(0, 255);
    }

    private Lifecycle longestOf(List<BackupRule> rules) {
        Lifecycle longest = rules.get(0).lifecycle();
        for (BackupRule rule : rules) {
            longest = longer(longest, rule.lifecycle());
        }
        return longest;
    }

    private static Lifecycle longer(Lifecycle a, Lifecycle b) {
        if (a.deleteAfterDays() == null) {
            return a; // kept for ever
        }
        if (b.deleteAfterDays() == null) {
            return b;
        }
        return b.deleteAfterDays() > a.deleteAfterDays() ? b : a;
    }

    private BackupRule lead(List<String> names) {
        List<BackupRule> rules = rulesOf(names);
        BackupRule lead = rules.get(0);
        for (BackupRule rule : rules) {
            if (longer(lead.lifecycle(), rule.lifecycle()) != lead.lifecycle()) {
                lead = rule;
            }
        }
        return lead;
    }

    private List<BackupRule> rulesOf(List<String> names) {
        return names.stream().map(this::rule).flatMap(Optional::stream).toList();
    }

    private Optional<BackupRule> rule(String name) {
        return plan.rules().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** When the point's lifecycle moves it to cold storage, from its data time; null when it never does. */
    private Instant coldAfter(RecoveryPoint point) {
        Lifecycle lifecycle = lifecycleOf(point);
        return lifecycle == null || lifecycle.moveToColdStorageAfterDays() == null
                ? null
                : point.dataTime().plus(scale.realDuration(Duration.ofDays(lifecycle.moveToColdStorageAfterDays())));
    }

    /** The lifecycle that governs a point: its rule's in the backup region, its copy action's in a copy region. */
    private Lifecycle lifecycleOf(RecoveryPoint point) {
        Optional<BackupRule> rule = rule(point.rule());
        if (rule.isEmpty()) {
            return null;
        }
        return point.region().equals(plan.region())
                ? rule.get().lifecycle()
                : rule.get().copyTo().stream()
                        .filter(c -> c.region().equals(point.region()))
                        .map(CopyAction::lifecycle)
                        .findFirst()
                        .orElse(null);
    }

    private Instant deleteAfter(RecoveryPoint point) {
        // a point without a delete-after tag (a DynamoDB backup takes no tags): the plan's retention for its region
        Lifecycle lifecycle = lifecycleOf(point);
        return lifecycle == null || lifecycle.deleteAfterDays() == null
                ? null
                : point.dataTime().plus(scale.realDuration(Duration.ofDays(lifecycle.deleteAfterDays())));
    }

    private static Duration startWindow(Occurrence occurrence) {
        return Duration.between(occurrence.scheduledFor(), occurrence.startBy());
    }

    private void advance(String rule, Instant scheduledFor) {
        considered.computeIfPresent(rule, (r, at) -> scheduledFor.isAfter(at) ? scheduledFor : at);
        nextOccurrence.remove(rule);
    }

    private void seen(String rule, String region, Instant dataTime) {
        newest.merge(key(rule, region), dataTime, (a, b) -> b.isAfter(a) ? b : a);
    }

    private List<String> regionsOf(BackupRule rule) {
        List<String> regions = new ArrayList<>();
        regions.add(plan.region());
        rule.copyTo().forEach(c -> regions.add(c.region()));
        return regions;
    }

    private static String key(String rule, String region) {
        return rule + "@" + region;
    }

    private static String copyKey(String region, String name) {
        return region + "/" + name;
    }
}

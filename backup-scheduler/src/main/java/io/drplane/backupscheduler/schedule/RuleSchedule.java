package io.drplane.backupscheduler.schedule;

import io.drplane.plan.BackupRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a backup rule runs, with AWS Backup's semantics: a run starts within its start window or is missed; after a
 * downtime only the latest occurrence still within its window runs, and every earlier one is reported missed (a
 * scheduler that comes back never fires a burst of catch-up backups). Pure: the caller says what it last considered
 * and what time it is now.
 */
public final class RuleSchedule {

    /** Occurrences looked at in one call at most: a rule that runs hourly, down for four weeks. */
    static final int MAX_OCCURRENCES = 24 * 7 * 4;

    private final String group;
    private final BackupRule rule;
    private final Instant anchor;
    private final TimeScale scale;

    /** {@code anchor} is where {@code rate()} schedules count from (the plan's activation); cron ignores it. */
    public RuleSchedule(String group, BackupRule rule, Instant anchor) {
        this(group, rule, anchor, TimeScale.REAL);
    }

    /** The same, with the schedule read on {@code scale}'s clock; every instant in and out is real. */
    public RuleSchedule(String group, BackupRule rule, Instant anchor, TimeScale scale) {
        this.group = group;
        this.rule = rule;
        this.anchor = anchor;
        this.scale = scale;
    }

    /** What to do now: at most one occurrence to start, and those missed since the last call. */
    public record Due(Optional<Occurrence> run, List<Occurrence> missed) {}

    /**
     * The occurrences scheduled after {@code considered} and at or before {@code now}: the latest one that may still
     * start runs, the others are missed.
     */
    public Due due(Instant considered, Instant now) {
        List<Occurrence> passed = new ArrayList<>();
        Instant cursor = considered;
        while (passed.size() < MAX_OCCURRENCES) {
            Optional<Instant> next = scale.nextAfter(rule.schedule(), cursor, anchor, rule.scheduleTimezone());
            if (next.isEmpty() || next.get().isAfter(now)) {
                break;
            }
            passed.add(occurrence(next.get()));
            cursor = next.get();
        }
        if (passed.isEmpty()) {
            return new Due(Optional.empty(), List.of());
        }
        Occurrence latest = passed.get(passed.size() - 1);
        List<Occurrence> missed = new ArrayList<>(passed.subList(0, passed.size() - 1));
        if (latest.startableAt(now)) {
            return new Due(Optional.of(latest), missed);
        }
        missed.add(latest);
        return new Due(Optional.empty(), missed);
    }

    /** The next time after {@code after} this rule is due: when its owner wakes up next. */
    public Optional<Instant> nextAfter(Instant after) {
        return scale.nextAfter(rule.schedule(), after, anchor, rule.scheduleTimezone());
    }

    /** The run scheduled for {@code scheduledFor}, with its windows: what a new owner rebuilds a job in flight from. */
    public Occurrence occurrence(Instant scheduledFor) {
        return new Occurrence(
                group,
                rule.name(),
                scheduledFor,
                scheduledFor.plus(scale.realDuration(rule.startWindow())),
                scheduledFor.plus(scale.realDuration(rule.completionWindow())));
    }
}

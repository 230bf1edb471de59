package io.drplane.coordinator.safety;

import io.drplane.coordinator.state.LagView;
import io.drplane.events.FailoverKind;
import io.drplane.events.LagStatus;
import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;
import io.drplane.plan.DurationText;
import io.drplane.plan.ReplicationLink;
import io.drplane.plan.Strategy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The checks before a failover starts, in order; the first that refuses holds the failover with its reason and
 * what a person can do. A drill is held only by a failover in progress: it commands nothing real.
 */
public enum SafetyRule {
    NO_FAILOVER_IN_PROGRESS(
            ReasonCode.FAILOVER_IN_PROGRESS,
            c -> c.state().failover() == null
                    ? Optional.empty()
                    : Optional.of(new Refusal(
                            ReasonCode.FAILOVER_IN_PROGRESS,
                            "failover " + c.state().failover().id() + " to "
                                    + c.state().failover().to() + " is in progress.",
                            "wait for it to finish, or abort it with: drplane abort "
                                    + c.group().id()))),

    STANDBY_HEALTHY(ReasonCode.STANDBY_NOT_HEALTHY, c -> {
        RegionHealth health = c.state().regions().getOrDefault(c.target(), RegionHealth.UNKNOWN);
        return health == RegionHealth.UP
                ? Optional.empty()
                : Optional.of(new Refusal(
                        ReasonCode.STANDBY_NOT_HEALTHY,
                        c.target() + " is " + health + " by quorum, not UP.",
                        "wait for " + c.target() + " to be healthy, or fix it"));
    }),

    // A failback (or any planned switchover) into the old primary's region waits for re-protect to make it a replica
    // again: until then it has no data of the new primary's to switch to.
    REPROTECT_FINISHED(ReasonCode.REPROTECT_IN_PROGRESS, c -> {
        var reprotect = c.state().reprotect();
        if (c.kind() != FailoverKind.PLANNED_SWITCHOVER
                || reprotect == null
                || !reprotect.started()
                || !reprotect.oldPrimary().equals(c.target())) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                ReasonCode.REPROTECT_IN_PROGRESS,
                "re-protect " + reprotect.id() + " has not made " + c.target() + " a replica of "
                        + reprotect.newPrimary() + " yet"
                        + (reprotect.heldFor() == null ? "." : " (held for " + reprotect.heldFor() + ")."),
                "wait: the switchover starts by itself once " + c.target() + " is re-protected and the lag is zero"
                        + " (watch it with: drplane status " + c.group().id() + ")"));
    }),

    // After a failover the old primary is no replica of anything until re-protect makes it one: no lag says how far
    // behind its data is. Patroni will not promote a member that is not streaming from the leader; the same here.
    TARGET_REPLICATES_FROM_PRIMARY(ReasonCode.TARGET_NOT_REPLICATING, c -> {
        // A backup-and-restore group's data comes from a recovery point, which RECENT_RECOVERY_POINT checks.
        if (c.group().replication().isEmpty()
                || c.group().strategy() == Strategy.BACKUP_AND_RESTORE
                || !intoTarget(c).isEmpty()) {
            return Optional.empty();
        }
        String primary = c.state().primary();
        return Optional.of(new Refusal(
                ReasonCode.TARGET_NOT_REPLICATING,
                "no replication link runs now from the primary " + primary + " into " + c.target()
                        + ", so no lag says how old its data is.",
                "let re-protect make " + c.target() + " a replica of " + primary + " (drplane status "
                        + c.group().id() + " shows it), or approve knowing its data may be old: drplane approve "
                        + c.group().id()));
    }),

    LAG_OBSERVED_RECENTLY(ReasonCode.REPLICATION_LAG_STALE, c -> {
        for (ReplicationLink link : intoTarget(c)) {
            LagView lag = c.state().lags().get(link.name());
            Duration bound = c.group().failover().lagStaleness();
            if (lag == null
                    || lag.status() == LagStatus.UNKNOWN
                    || lag.observedAt().plus(bound).isBefore(c.now())) {
                String seen = lag == null
                        ? "no lag observation"
                        : lag.status() == LagStatus.UNKNOWN
                                ? "the lag is UNKNOWN"
                                : "the last lag observation is "
                                        + DurationText.of(Duration.between(lag.observedAt(), c.now())) + " old";
                return Optional.of(new Refusal(
                        ReasonCode.REPLICATION_LAG_STALE,
                        link.name() + ": " + seen + " (fresh means within " + DurationText.of(bound) + ").",
                        "check the replication tracker, or approve knowing the data loss is unknown: drplane approve "
                                + c.group().id()));
            }
        }
        return Optional.empty();
    }),

    LAG_WITHIN_MAXIMUM(ReasonCode.REPLICATION_LAG_ABOVE_MAX, c -> {
        for (ReplicationLink link : intoTarget(c)) {
            LagView lag = c.state().lags().get(link.name());
            if (lag == null || lag.lagMillis() == null) {
                continue;
            }
            long max = link.maxLagOnFailover().toMillis();
            boolean planned = c.kind() == FailoverKind.PLANNED_SWITCHOVER;
            if (planned ? lag.lagMillis() > 0 || lag.status() != LagStatus.MEASURED : lag.lagMillis() > max) {
                String bound = lag.status() == LagStatus.AT_LEAST ? "at least " : "";
                return Optional.of(
                        planned
                                ? new Refusal(
                                        ReasonCode.REPLICATION_LAG_ABOVE_MAX,
                                        link.name() + " is " + bound + lag.lagMillis()
                                                + " ms behind; a planned switchover waits for zero lag.",
                                        "wait: it starts when the lag is zero")
                                : new Refusal(
                                        ReasonCode.REPLICATION_LAG_ABOVE_MAX,
                                        link.name() + " is " + bound + lag.lagMillis()
                                                + " ms behind, over maxLagOnFailover " + max + " ms.",
                                        "wait for the lag to fall under " + max
                                                + " ms, or approve accepting the data loss: drplane approve "
                                                + c.group().id()));
            }
        }
        return Optional.empty();
    }),

    // The cooldown and the rate limit hold automatic failovers that flap, not a switchover a person asked for.
    COOLDOWN_PASSED(ReasonCode.COOLDOWN_ACTIVE, c -> {
        Duration cooldown = c.group().failover().cooldown();
        if (c.kind() != FailoverKind.UNPLANNED
                || c.state().lastFailoverAt() == null
                || !c.state().lastFailoverAt().plus(cooldown).isAfter(c.now())) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                ReasonCode.COOLDOWN_ACTIVE,
                "the last failover was "
                        + DurationText.of(Duration.between(c.state().lastFailoverAt(), c.now()))
                        + " ago; the cooldown is " + DurationText.of(cooldown) + ".",
                "wait until " + c.state().lastFailoverAt().plus(cooldown) + ", or approve: drplane approve "
                        + c.group().id()));
    }),

    UNDER_RATE_LIMIT(ReasonCode.FAILOVER_RATE_LIMITED, c -> {
        if (c.kind() != FailoverKind.UNPLANNED) {
            return Optional.empty();
        }
        Duration window = c.group().failover().failoverWindow();
        long recent = c.state().failoverStarts().stream()
                .filter(t -> t.plus(window).isAfter(c.now()))
                .count();
        int max = c.group().failover().maxFailovers();
        return recent < max
                ? Optional.empty()
                : Optional.of(new Refusal(
                        ReasonCode.FAILOVER_RATE_LIMITED,
                        recent + " failover(s) in the last " + DurationText.of(window) + ", the most allowed is " + max
                                + ".",
                        "investigate the flapping, then approve: drplane approve "
                                + c.group().id()));
    }),

    RECENT_RECOVERY_POINT(ReasonCode.NO_RECENT_RECOVERY_POINT, c -> {
        if (c.group().strategy() != Strategy.BACKUP_AND_RESTORE) {
            return Optional.empty();
        }
        Duration rpo = c.group().objectives().rpo();
        // the target restores from what is in its own region: taken there, or copied in
        var latest = c.state().recoveryPoints().get(c.target());
        if (latest != null && !latest.plus(rpo).isBefore(c.now())) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                ReasonCode.NO_RECENT_RECOVERY_POINT,
                latest == null
                        ? "no recovery point is known in " + c.target() + "."
                        : "the newest recovery point in " + c.target() + " is "
                                + DurationText.roughly(Duration.between(latest, c.now()))
                                + " old, older than the RPO of "
                                + DurationText.of(rpo) + ".",
                "wait for the next backup and its copy to " + c.target()
                        + ", or approve restoring the newest one there: drplane approve "
                        + c.group().id()));
    });

    private final ReasonCode code;
    private final Function<SafetyContext, Optional<Refusal>> check;

    SafetyRule(ReasonCode code, Function<SafetyContext, Optional<Refusal>> check) {
        this.code = code;
        this.check = check;
    }

    /** The reason code of this rule's refusal. */
    public ReasonCode code() {
        return code;
    }

    public Optional<Refusal> check(SafetyContext context) {
        Optional<Refusal> refusal = check.apply(context);
        if (refusal.isPresent() && refusal.get().code() != code) {
            throw new IllegalStateException(
                    this + " refused with " + refusal.get().code() + ", not its own code " + code);
        }
        return refusal;
    }

    /**
     * The links whose lag says how far the target's data is behind the primary's: the live links from the current
     * primary into the target (the plan's, in a state from before the topology was kept).
     */
    private static List<ReplicationLink> intoTarget(SafetyContext c) {
        List<String> live = c.state().links();
        if (live == null) {
            return c.group().replicationBetween(c.state().primary(), c.target());
        }
        return c.group().possibleLinks().stream()
                .filter(l ->
                        l.from().equals(c.state().primary()) && l.to().equals(c.target()) && live.contains(l.name()))
                .toList();
    }

    /**
     * The first refusal, if any. {@code approvedPast} is the refusal a person approved the failover past (null if
     * none): that rule is passed over if a person may override it; every other rule still applies.
     */
    public static Optional<Refusal> firstRefusal(SafetyContext context, ReasonCode approvedPast) {
        for (SafetyRule rule : values()) {
            if (context.kind() == FailoverKind.DRILL && rule != NO_FAILOVER_IN_PROGRESS) {
                continue;
            }
            if (approvedPast != null && rule.code == approvedPast && rule.overridable()) {
                continue;
            }
            Optional<Refusal> refusal = rule.check(context);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    /** Whether a person may approve a failover held for {@code code}: a mode's hold, or an overridable rule's. */
    public static boolean approvable(ReasonCode code) {
        if (code == ReasonCode.APPROVAL_REQUIRED || code == ReasonCode.REPROTECT_STEP_FAILED) {
            return true;
        }
        for (SafetyRule rule : values()) {
            if (rule.code == code) {
                return rule.overridable();
            }
        }
        return false;
    }

    /** A person may accept a target that is no replica (but not one re-protect is still making one), a stale or large lag, a cooldown, a rate limit or an old recovery point; never two failovers at once or an unhealthy target. */
    public boolean overridable() {
        return this != NO_FAILOVER_IN_PROGRESS && this != STANDBY_HEALTHY && this != REPROTECT_FINISHED;
    }
}

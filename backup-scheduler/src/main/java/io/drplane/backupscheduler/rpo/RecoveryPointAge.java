package io.drplane.backupscheduler.rpo;

import io.drplane.events.GroupEvent;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoRestored;
import io.drplane.events.RpoScope;
import io.drplane.plan.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Whether one rule's recovery points in one region (the backup region, or a copy region) meet the group's RPO: the
 * age is now minus the data time of the newest usable recovery point (for a copy, when its source was taken), and the
 * name is {@code RULE@REGION}. Breached when the age passes the RPO, restored when a new point brings it back under
 * {@value #RESTORE_PERCENT}% of it (hysteresis, as for replication links); no point at all is a breach once the
 * first one is due. Pure: the caller gives the time.
 */
public final class RecoveryPointAge {

    public static final int RESTORE_PERCENT = 80;

    private final String group;
    private final String name;
    private final Duration rpo;
    private boolean breached;

    public RecoveryPointAge(String group, String rule, String region, Duration rpo) {
        this.group = group;
        this.name = rule + "@" + region;
        this.rpo = rpo;
    }

    /**
     * The event to publish now, if the age crossed a line: {@code newest} is the data time of the newest usable
     * recovery point (empty when there is none), {@code since} when the rule began (no point is owed before then).
     */
    public Optional<GroupEvent> evaluate(Optional<Instant> newest, Instant since, Instant now) {
        Duration age = Duration.between(newest.orElse(since), now);
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        if (!breached && age.compareTo(rpo) > 0) {
            breached = true;
            return Optional.of(new RpoBreached(
                    group,
                    RpoScope.BACKUP_RULE,
                    name,
                    rpo.toMillis(),
                    age.toMillis(),
                    now,
                    Reason.of(
                            ReasonCode.RPO_BREACHED,
                            newest.isPresent()
                                    ? "the newest recovery point of " + name + " is " + said(age) + " old, over the "
                                            + DurationText.of(rpo) + " RPO."
                                    : name + " has no recovery point " + said(age) + " after its rule began, over the "
                                            + DurationText.of(rpo) + " RPO.")));
        }
        if (breached && newest.isPresent() && age.toMillis() <= rpo.toMillis() * RESTORE_PERCENT / 100) {
            breached = false;
            return Optional.of(new RpoRestored(
                    group,
                    RpoScope.BACKUP_RULE,
                    name,
                    rpo.toMillis(),
                    age.toMillis(),
                    now,
                    Reason.of(
                            ReasonCode.RPO_RESTORED,
                            "the newest recovery point of " + name + " is " + said(age)
                                    + " old, back under " + RESTORE_PERCENT + "% of the " + DurationText.of(rpo)
                                    + " RPO.")));
        }
        return Optional.empty();
    }

    /** An age in whole seconds ("65s", "25h"): the milliseconds say nothing to a person. */
    private static String said(Duration age) {
        return DurationText.of(age.truncatedTo(ChronoUnit.SECONDS));
    }

    public boolean breached() {
        return breached;
    }
}

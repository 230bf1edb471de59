package io.drplane.coordinator.decider;

import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.EventData;
import io.drplane.events.HealthObserved;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.plan.DurationText;
import io.drplane.plan.Group;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The check of the times an input carries that the decider uses, against the coordinator's clock when the input
 * arrived. An observer's clock is not trusted: an observation dated ahead of the coordinator's clock by more than the
 * plan's {@code maxClockSkew} would count as fresh for as long as it is ahead, and one older than the staleness bound
 * when it arrives could never be a fresh vote. Either is refused, with a reason that names the observer and the
 * difference, so the skewed vantage point or producer can be found. Times the decider does not use (an operator
 * request's, a command result's) are not checked: refusing those would stall a failover over a clock.
 */
final class InputTimes {

    private InputTimes() {}

    static Optional<Reason> refusal(Group group, EventData data, Instant arrivedAt) {
        // Checked on every input: the sentence naming the observer is built only for a refusal.
        Duration skew = group.failover().maxClockSkew();
        if (data instanceof HealthObserved h) {
            return check(
                    () -> "vantage point " + h.vantage() + "'s observation of " + h.region() + "/" + h.target(),
                    h.observedAt(),
                    arrivedAt,
                    skew,
                    group.failover().staleness());
        }
        if (data instanceof ReplicationLagObserved l) {
            return check(
                    () -> "the lag observation of " + l.link(),
                    l.observedAt(),
                    arrivedAt,
                    skew,
                    group.failover().lagStaleness());
        }
        if (data instanceof BackupJobCompleted b) {
            return check(
                    () -> "the recovery point of " + b.rule() + " in " + b.region(),
                    b.createdAt(),
                    arrivedAt,
                    skew,
                    null);
        }
        if (data instanceof BackupCopyCompleted b) {
            return check(
                    () -> "the copy of " + b.rule() + " to " + b.destinationRegion(),
                    b.completedAt(),
                    arrivedAt,
                    skew,
                    null);
        }
        return Optional.empty();
    }

    private static Optional<Reason> check(
            Supplier<String> observer, Instant at, Instant arrivedAt, Duration skew, Duration maxAge) {
        long aheadMillis = at.toEpochMilli() - arrivedAt.toEpochMilli();
        boolean future = aheadMillis > skew.toMillis();
        boolean old = maxAge != null && -aheadMillis > maxAge.toMillis();
        if (!future && !old) {
            return Optional.empty();
        }
        String who = observer.get();
        Duration ahead = Duration.between(arrivedAt, at);
        if (future) {
            return Optional.of(Reason.of(
                    ReasonCode.INPUT_FROM_THE_FUTURE,
                    who + " is dated " + at + ", " + DurationText.roughly(ahead) + " ahead of the coordinator's clock ("
                            + arrivedAt + "), more than the " + DurationText.of(skew)
                            + " allowed: its clock is wrong, and it is refused."));
        }
        if (old) {
            return Optional.of(Reason.of(
                    ReasonCode.INPUT_TOO_OLD,
                    who + " is dated " + at + ", " + DurationText.roughly(ahead.negated())
                            + " before the coordinator received it (" + arrivedAt + "), older than the "
                            + DurationText.of(maxAge) + " staleness bound: it could not be a fresh vote, and it is"
                            + " refused."));
        }
        return Optional.empty();
    }
}

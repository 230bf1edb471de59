package io.drplane.backupscheduler.schedule;

import io.drplane.plan.DurationText;
import io.drplane.plan.load.ScheduleExpressions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The clock the plan's backup schedules are read on. In production it is the real clock ({@link #REAL}). For a demo or
 * a game day it runs {@code factor} times faster from {@code anchor} (a real instant at which both clocks agree): a
 * daily rule then runs every {@code 24 h / factor} of real time, and its windows, RPO and retention shrink alike.
 *
 * <p>Only the schedule is compressed: every instant that leaves the scheduler (an event, a tag, a call to AWS) is
 * real, so AWS's own timestamps, the coordinator and the notifier need not know.
 */
public record TimeScale(long factor, Instant anchor) {

    public static final TimeScale REAL = new TimeScale(1, Instant.EPOCH);

    public TimeScale {
        if (factor < 1) {
            throw new IllegalArgumentException("a time scale is a whole factor of at least 1, not " + factor);
        }
    }

    /**
     * The scale on which the plan's clock reads {@code planTime} at the real instant {@code real}: how a demo makes a
     * daily run come a few seconds after it starts (the anchor falls before {@code real} when {@code planTime} is
     * after it).
     */
    public static TimeScale reaching(long factor, Instant planTime, Instant real) {
        if (factor == 1) {
            return REAL;
        }
        return new TimeScale(factor, real.minus(Duration.between(real, planTime).dividedBy(factor - 1)));
    }

    public boolean compressed() {
        return factor > 1;
    }

    /** What the plan's clock reads at the real instant {@code real}. */
    public Instant planTime(Instant real) {
        return factor == 1 ? real : anchor.plus(Duration.between(anchor, real).multipliedBy(factor));
    }

    /**
     * The real instant at which the plan's clock reads {@code planTime}, rounded up to a whole millisecond: a plan time
     * after {@code planTime(x)} always maps to a real time after {@code x}, and the instant survives an event's round
     * trip (events carry milliseconds), so a new owner that remembers a run by its scheduled time never runs it again.
     */
    public Instant realTime(Instant planTime) {
        if (factor == 1) {
            return planTime;
        }
        Duration onPlan = Duration.between(anchor, planTime);
        Duration real = onPlan.dividedBy(factor);
        if (real.multipliedBy(factor).compareTo(onPlan) < 0) {
            real = real.plusNanos(1);
        }
        Instant exact = anchor.plus(real);
        Instant millis = exact.truncatedTo(ChronoUnit.MILLIS);
        return millis.equals(exact) ? exact : millis.plusMillis(1);
    }

    /** How much real time a duration of the plan lasts. */
    public Duration realDuration(Duration onPlan) {
        return factor == 1 ? onPlan : onPlan.dividedBy(factor);
    }

    /** The real instant of the schedule's next occurrence after the real instant {@code after}. */
    public Optional<Instant> nextAfter(String schedule, Instant after, Instant rateAnchor, ZoneId zone) {
        return ScheduleExpressions.nextAfter(schedule, planTime(after), planTime(rateAnchor), zone)
                .map(this::realTime);
    }

    /** For a log line: "1440x (a day in 1m)". */
    public String describe() {
        return factor + "x (a day in " + DurationText.of(realDuration(Duration.ofDays(1))) + ")";
    }
}

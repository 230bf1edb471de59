package io.drplane.plan.load;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS schedule expressions as AWS Backup reads them: {@code cron(Minutes Hours Day-of-month Month Day-of-week Year)}
 * in the rule's {@code scheduleTimezone} (UTC by default), where one of the two day fields is {@code ?}, or {@code rate(N unit)}. AWS Backup runs a rule at most
 * once an hour.
 */
public final class ScheduleExpressions {

    public static final Duration MINIMUM_INTERVAL = Duration.ofHours(1);

    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final Map<String, ExecutionTime> EXECUTION_TIMES = new ConcurrentHashMap<>();
    private static final Map<String, Optional<Duration>> LARGEST_GAPS = new ConcurrentHashMap<>();
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    /** AWS cron is Quartz without the seconds field. */
    private static final CronParser QUARTZ =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private static final String ALLOWED =
            "expected cron(Minutes Hours Day-of-month Month Day-of-week Year) in the rule's scheduleTimezone (UTC by default) with '?' "
                    + "in one day field, like cron(0 5 ? * * *), or rate(N hours|days), like rate(12 hours)";

    private ScheduleExpressions() {}

    /** What is wrong with the expression, if anything, in words that say what is allowed. */
    public static Optional<String> problem(String expression) {
        Matcher rate = RATE.matcher(expression);
        if (rate.matches()) {
            long amount = Long.parseLong(rate.group(1));
            String unit = rate.group(2);
            if (amount == 0) {
                return Optional.of("a rate must be at least 1; " + ALLOWED);
            }
            if ((amount == 1) != !unit.endsWith("s")) {
                return Optional.of("AWS writes rate(1 " + unit.replaceAll("s$", "") + ") and rate(N "
                        + unit.replaceAll("s$", "") + "s)");
            }
            Duration interval = rateInterval(amount, unit);
            if (interval.compareTo(MINIMUM_INTERVAL) < 0) {
                return Optional.of("AWS Backup runs a rule at most once an hour; " + ALLOWED);
            }
            return Optional.empty();
        }
        Matcher cron = CRON.matcher(expression);
        if (!cron.matches()) {
            return Optional.of(ALLOWED);
        }
        String[] fields = cron.group(1).trim().split("\\s+");
        if (fields.length != 6) {
            return Optional.of("a cron expression has 6 fields, this one has " + fields.length + "; " + ALLOWED);
        }
        if (!fields[2].equals("?") && !fields[4].equals("?")) {
            return Optional.of("one of Day-of-month and Day-of-week must be '?'; " + ALLOWED);
        }
        Cron parsed;
        try {
            parsed = QUARTZ.parse("0 " + cron.group(1).trim());
            parsed.validate();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage() + "; " + ALLOWED);
        }
        ExecutionTime times = ExecutionTime.forCron(parsed);
        ZonedDateTime from = ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        Optional<ZonedDateTime> first = times.nextExecution(from);
        if (first.isEmpty()) {
            return Optional.of("this expression never fires; " + ALLOWED);
        }
        Optional<ZonedDateTime> second = times.nextExecution(first.get());
        if (second.isPresent() && Duration.between(first.get(), second.get()).compareTo(MINIMUM_INTERVAL) < 0) {
            return Optional.of("AWS Backup runs a rule at most once an hour; " + ALLOWED);
        }
        return Optional.empty();
    }

    /** The first time strictly after {@code after} at which a valid expression fires; rates count from {@code anchor}. */
    public static Optional<Instant> nextAfter(String expression, Instant after, Instant anchor) {
        return nextAfter(expression, after, anchor, ZoneOffset.UTC);
    }

    /** The same, with a cron expression's fields read in {@code zone} (daylight saving time included). */
    public static Optional<Instant> nextAfter(String expression, Instant after, Instant anchor, ZoneId zone) {
        Matcher rate = RATE.matcher(expression);
        if (rate.matches()) {
            Duration interval = rateInterval(Long.parseLong(rate.group(1)), rate.group(2));
            long periods =
                    after.isBefore(anchor) ? 0 : Duration.between(anchor, after).toMillis() / interval.toMillis() + 1;
            return Optional.of(anchor.plus(interval.multipliedBy(periods)));
        }
        Matcher cron = CRON.matcher(expression);
        if (!cron.matches()) {
            throw new IllegalArgumentException("not a schedule expression: " + expression);
        }
        // parsed once per expression: a plan of thousands of rules shares a handful of schedules
        ExecutionTime times = EXECUTION_TIMES.computeIfAbsent(
                cron.group(1).trim(), fields -> ExecutionTime.forCron(QUARTZ.parse("0 " + fields)));
        return times.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    /**
     * The longest time between two runs of a valid expression over a year (in {@code zone}, so a daylight saving
     * change counts): what a rule's recovery points can be apart at best. Empty when it fires fewer than twice.
     */
    public static Optional<Duration> largestGap(String expression, ZoneId zone) {
        // a year of runs per call: computed once per expression and zone, which thousands of rules share
        return LARGEST_GAPS.computeIfAbsent(expression + "|" + zone.getId(), key -> walkLargestGap(expression, zone));
    }

    private static Optional<Duration> walkLargestGap(String expression, ZoneId zone) {
        Matcher rate = RATE.matcher(expression);
        if (rate.matches()) {
            return Optional.of(rateInterval(Long.parseLong(rate.group(1)), rate.group(2)));
        }
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        Instant until = from.plus(Duration.ofDays(366));
        Optional<Instant> previous = nextAfter(expression, from, from, zone);
        Duration largest = null;
        while (previous.isPresent() && previous.get().isBefore(until)) {
            Optional<Instant> next = nextAfter(expression, previous.get(), from, zone);
            if (next.isEmpty()) {
                break;
            }
            Duration gap = Duration.between(previous.get(), next.get());
            largest = largest == null || gap.compareTo(largest) > 0 ? gap : largest;
            previous = next;
        }
        return Optional.ofNullable(largest);
    }

    /** A cron expression that runs like a rate, for a message that suggests one (rates start at midnight UTC). */
    static String cronFor(String rateExpression) {
        Matcher rate = RATE.matcher(rateExpression);
        if (!rate.matches()) {
            return "cron(0 5 ? * * *)";
        }
        long amount = Long.parseLong(rate.group(1));
        String unit = rate.group(2).replaceAll("s$", "");
        if (unit.equals("hour") && 24 % amount == 0) {
            return "cron(0 0/" + amount + " * * ? *)";
        }
        if (unit.equals("day") && amount == 1) {
            return "cron(0 0 * * ? *)";
        }
        if (unit.equals("day") && amount < 28) {
            return "cron(0 0 1/" + amount + " * ? *)";
        }
        return "cron(0 5 ? * * *)";
    }

    private static Duration rateInterval(long amount, String unit) {
        return switch (unit.replaceAll("s$", "")) {
            case "minute" -> Duration.ofMinutes(amount);
            case "hour" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}

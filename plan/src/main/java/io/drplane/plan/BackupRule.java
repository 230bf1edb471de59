package io.drplane.plan;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * One backup rule with AWS Backup semantics.
 *
 * @param scheduleTimezone the time zone {@code schedule}'s cron fields are read in (AWS Backup's
 *                         {@code ScheduleExpressionTimezone}; UTC by default)
 */
public record BackupRule(
        String name,
        String schedule,
        ZoneId scheduleTimezone,
        Duration startWindow,
        Duration completionWindow,
        Lifecycle lifecycle,
        List<CopyAction> copyTo) {
    public BackupRule {
        copyTo = List.copyOf(copyTo);
    }
}

package io.drplane.plan;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * One backup rule with AWS Backup semantics.
 *
 * @param scheduleTimezone the time zone {@code schedule}'s cron fields are read in (AWS Backup's
 *                         {@code ScheduleExpressionTimezone}; UTC by default)
 * @param rpo              the age its newest recovery point may reach, in the backup region and every copy region,
 *                         before drplane reports the RPO breached; the group's RPO unless the rule says otherwise
 *                         (a weekly rule kept for retention has an RPO of its own)
 */
public record BackupRule(
        String name,
        String schedule,
        ZoneId scheduleTimezone,
        Duration startWindow,
        Duration completionWindow,
        Duration rpo,
        Lifecycle lifecycle,
        List<CopyAction> copyTo) {
    public BackupRule {
        copyTo = List.copyOf(copyTo);
    }
}

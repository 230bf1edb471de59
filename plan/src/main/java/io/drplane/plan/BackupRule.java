package io.drplane.plan;

import java.time.Duration;
import java.util.List;

/** One backup rule with AWS Backup semantics. */
public record BackupRule(
        String name,
        String schedule,
        Duration startWindow,
        Duration completionWindow,
        Lifecycle lifecycle,
        List<CopyAction> copyTo) {
    public BackupRule {
        copyTo = List.copyOf(copyTo);
    }
}

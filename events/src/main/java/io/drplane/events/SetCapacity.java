package io.drplane.events;

import java.time.Instant;

/** Set an Auto Scaling group's min, desired and max capacity. */
public record SetCapacity(
        String group,
        String commandId,
        String failoverId,
        String region,
        long epoch,
        Instant issuedAt,
        long timeoutMillis,
        boolean dryRun,
        String autoScalingGroupName,
        int minSize,
        int desiredCapacity,
        int maxSize,
        int minInService,
        Reason reason,
        Evidence evidence)
        implements Command {}

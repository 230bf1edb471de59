package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * Set an Auto Scaling group's min, desired and max capacity. A failover only raises (a group already larger keeps its
 * size); re-protect's scale-down sets the sizes exactly ({@code lower}).
 */
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
        @Nullable Boolean lower,
        Reason reason,
        Evidence evidence)
        implements Command {

    /** Whether the sizes are set exactly, lowering a larger group (absent: only raise). */
    public boolean lowers() {
        return Boolean.TRUE.equals(lower);
    }
}

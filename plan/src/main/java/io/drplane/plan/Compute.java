package io.drplane.plan;

import jakarta.annotation.Nullable;

/**
 * The Auto Scaling group of a region, the capacity it gets when the region becomes primary, and the capacity it runs
 * at as a standby (re-protect scales an old primary's region down to it).
 *
 * @param standbyCapacity as planned, or null: min 1 for a warm standby, 0 for pilot light (see {@link #standby})
 */
public record Compute(String autoScalingGroup, Capacity failoverCapacity, @Nullable Capacity standbyCapacity) {

    /** The capacity this region runs at while it is not primary. */
    public Capacity standby(Strategy strategy) {
        if (standbyCapacity != null) {
            return standbyCapacity;
        }
        int min = strategy == Strategy.WARM_STANDBY ? 1 : 0;
        return new Capacity(min, min, failoverCapacity.max());
    }
}

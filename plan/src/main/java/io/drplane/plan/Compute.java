package io.drplane.plan;

/** The Auto Scaling group of a region and the capacity it gets when the region becomes primary. */
public record Compute(String autoScalingGroup, Capacity failoverCapacity) {}

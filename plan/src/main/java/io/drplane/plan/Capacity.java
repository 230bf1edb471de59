package io.drplane.plan;

/** Auto Scaling capacity: min, desired and max instances. */
public record Capacity(int min, int desired, int max) {}

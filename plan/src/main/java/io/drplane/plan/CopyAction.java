package io.drplane.plan;

/** A cross-region copy of each recovery point, kept with its own lifecycle. */
public record CopyAction(String region, String vault, Lifecycle lifecycle) {}

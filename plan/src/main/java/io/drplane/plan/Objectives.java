package io.drplane.plan;

import java.time.Duration;

/** The group's recovery objectives: how long recovery may take and how much data may be lost. */
public record Objectives(Duration rto, Duration rpo) {}

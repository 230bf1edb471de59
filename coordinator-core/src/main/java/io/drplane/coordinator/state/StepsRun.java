package io.drplane.coordinator.state;

import java.util.Map;

/** A run of runbook steps under one epoch: a failover, or the re-protect after one. */
public interface StepsRun<R extends StepsRun<R>> {

    String id();

    long epoch();

    /** Commands run dry (a drill): nothing changes, no health is awaited. */
    boolean dryRun();

    Map<String, StepRun> steps();

    R withStep(String name, StepRun run);
}

package io.drplane.coordinator.runbook;

import java.time.Duration;
import java.util.List;

/**
 * One step of a runbook: what it does (a command for one region), which steps must be done first, how long it may
 * take, and how many times it may be retried. {@code awaitHealthy} steps also wait for the region to be UP by quorum
 * on fresh observations.
 */
public record Step(
        String name, StepAction action, List<String> after, Duration timeout, int retries, boolean awaitHealthy) {

    public Step {
        after = List.copyOf(after);
    }
}

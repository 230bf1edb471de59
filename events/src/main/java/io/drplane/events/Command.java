package io.drplane.events;

import java.time.Instant;

/**
 * An imperative sent by the coordinator to one region's executor. Every command carries the failover it
 * belongs to and the group's epoch, so executors can reject commands from a fenced-off coordinator.
 */
public interface Command extends GroupEvent {
    String commandId();

    String failoverId();

    String region();

    long epoch();

    Instant issuedAt();

    long timeoutMillis();

    boolean dryRun();

    Reason reason();

    Evidence evidence();
}

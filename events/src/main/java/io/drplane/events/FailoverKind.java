package io.drplane.events;

/** Why a failover runs: an outage, a planned switchover (waits for zero lag) or a drill. */
public enum FailoverKind {
    UNPLANNED,
    PLANNED_SWITCHOVER,
    DRILL
}

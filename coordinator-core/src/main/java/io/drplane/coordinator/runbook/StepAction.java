package io.drplane.coordinator.runbook;

/** The kinds of command a runbook step sends. */
public enum StepAction {
    PROMOTE_REPLICA,
    FAILOVER_GLOBAL_CLUSTER,
    SET_CAPACITY,
    SWITCH_DNS,
    VERIFY,
    SNAPSHOT_DATABASE,
    FENCE_DATABASE,
    CREATE_REPLICA
}

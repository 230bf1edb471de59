package io.drplane.plan;

/** What the coordinator may do for a group: act, ask a person first, or only record what it would do. */
public enum Mode {
    AUTOMATIC,
    APPROVAL,
    OBSERVE
}

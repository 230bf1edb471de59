package io.drplane.events;

/** How much a lag figure can be trusted: measured, a lower bound (the primary is silent), or unknown. */
public enum LagStatus {
    MEASURED,
    AT_LEAST,
    UNKNOWN
}

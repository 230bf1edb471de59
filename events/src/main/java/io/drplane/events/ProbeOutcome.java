package io.drplane.events;

/** How one probe ended: OK, or the class of failure. */
public enum ProbeOutcome {
    OK,
    REFUSED,
    TIMEOUT,
    TLS,
    STATUS,
    BODY_MISMATCH,
    DNS,
    ERROR
}

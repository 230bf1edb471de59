package io.drplane.events;

/** How urgent an alert is: critical needs a person now, error needs one soon, warning and info can wait. */
public enum AlertSeverity {
    CRITICAL,
    ERROR,
    WARNING,
    INFO
}

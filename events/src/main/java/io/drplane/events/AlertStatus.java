package io.drplane.events;

/** Whether a notification says an alert fires (or still fires) or that it is resolved. */
public enum AlertStatus {
    FIRING,
    RESOLVED
}

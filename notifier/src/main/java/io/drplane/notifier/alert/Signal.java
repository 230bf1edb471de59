package io.drplane.notifier.alert;

import io.drplane.events.AlertSeverity;
import io.drplane.events.Event;
import java.util.Map;

/**
 * What one event says about an alert: it fires (opens or updates) the alert {@code key}, or resolves it.
 *
 * @param title   one line a person reads first, like "shop: failover to us-west-2 held for approval"
 * @param details the fields a notification shows (group, regions, reason code and sentence, RPO, epoch), in order
 */
public record Signal(
        String key,
        Kind kind,
        AlertSeverity severity,
        String title,
        String reasonCode,
        String sentence,
        Map<String, String> details,
        Event<?> event) {

    public enum Kind {
        FIRE,
        RESOLVE
    }

    public boolean fires() {
        return kind == Kind.FIRE;
    }
}

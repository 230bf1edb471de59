package io.drplane.notifier.alert;

import io.drplane.events.AlertSeverity;
import io.drplane.events.Event;
import java.util.Map;

/**
 * What one event says about an alert: it fires (opens or updates) the alert {@code key}, or resolves it.
 *
 * @param title   one line a person reads first, like "shop: failover to us-west-2 held for approval"
 * @param details the fields a notification shows (group, regions, reason code and sentence, RPO, epoch), in order
 * @param news    a resolve worth telling even to a route that never heard the alert fire: a failover that completed
 *                inside {@code groupWait} is news, a region or an RPO that flapped back is not
 */
public record Signal(
        String key,
        Kind kind,
        AlertSeverity severity,
        String title,
        String reasonCode,
        String sentence,
        Map<String, String> details,
        Event<?> event,
        boolean news) {

    public enum Kind {
        FIRE,
        RESOLVE
    }

    public boolean fires() {
        return kind == Kind.FIRE;
    }
}

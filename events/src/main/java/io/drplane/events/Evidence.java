package io.drplane.events;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What led to a decision: the ids of the events that were weighed and the facts read off them
 * (for example {@code votes.us-east-1.down = 3/3}, {@code lag.db.millis = 420}).
 */
public record Evidence(List<String> eventIds, Map<String, String> facts) {
    public Evidence {
        eventIds = List.copyOf(eventIds);
        facts = Collections.unmodifiableSortedMap(new TreeMap<>(facts)); // sorted: stable bytes for replay
    }

    public static Evidence none() {
        return new Evidence(List.of(), Map.of());
    }

    public static Evidence of(Map<String, String> facts) {
        return new Evidence(List.of(), facts);
    }
}

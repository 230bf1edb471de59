package io.drplane.coordinator.decider;

import java.util.HashMap;
import java.util.Map;

/**
 * A map that is copied only when written: the decider reads most of a group's state on every event but changes
 * little of it, and an unchanged map goes back into the next state as it was, without a copy.
 */
final class Cow<V> {

    private final Map<String, V> base;
    private Map<String, V> changed;

    Cow(Map<String, V> base) {
        this.base = base;
    }

    V get(String key) {
        return (changed != null ? changed : base).get(key);
    }

    void put(String key, V value) {
        if (changed == null) {
            if (value.equals(base.get(key))) {
                return;
            }
            changed = new HashMap<>(base);
        }
        changed.put(key, value);
    }

    Map<String, V> view() {
        return changed != null ? changed : base;
    }

    /** The map for the next state: the same one when nothing was written. */
    Map<String, V> freeze() {
        return changed != null ? Map.copyOf(changed) : base;
    }
}

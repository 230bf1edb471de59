package io.drplane.coordinator.state;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A map that is copied only when written: the decider reads most of a group's state on every event but changes
 * little of it, and an unchanged map goes back into the next state as it was, without a copy. A written one becomes a
 * {@link SmallMap} that shares the keys when no key was added.
 */
public final class Cow<V> {

    private final SmallMap<V> base;
    private String[] keys;
    /** The values once written; null while the map is the base. */
    private Object[] values;

    public Cow(Map<String, V> base) {
        this.base = SmallMap.of(base);
        this.keys = this.base.keys;
    }

    @SuppressWarnings("unchecked")
    public V get(String key) {
        int i = SmallMap.indexOf(keys, key);
        return i < 0 ? null : (V) (values != null ? values : base.values)[i];
    }

    public void put(String key, V value) {
        Objects.requireNonNull(value, key);
        int i = SmallMap.indexOf(keys, key);
        if (values == null) {
            if (i >= 0 && value.equals(base.values[i])) {
                return;
            }
            values = base.values.clone();
        }
        if (i >= 0) {
            values[i] = value;
        } else {
            keys = Arrays.copyOf(keys, keys.length + 1);
            values = Arrays.copyOf(values, values.length + 1);
            keys[keys.length - 1] = key;
            values[values.length - 1] = value;
        }
    }

    /** The map as it stands, to read now: later writes show through it. */
    public Map<String, V> view() {
        return values != null ? new SmallMap<>(keys, values) : base;
    }

    /** The map for the next state: the same one when nothing was written. The cow is not written after this. */
    public Map<String, V> freeze() {
        return values != null ? new SmallMap<>(keys, values) : base;
    }
}

package io.drplane.coordinator.state;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable map of a few entries in two arrays, for a group's state: its sightings, region votes and lags. A
 * decision that changes one entry copies the value array and shares the keys ({@link Cow}), where an immutable
 * {@code Map.copyOf} of a copied {@code HashMap} built and kept a hash table each time: a group's maps live until its next
 * input, and at 10,000 inputs a second those tables were a large part of what the young collections copied.
 * Lookups compare a few keys, the same instances as the layout's when the decider wrote them.
 */
final class SmallMap<V> extends AbstractMap<String, V> {

    private static final SmallMap<?> EMPTY = new SmallMap<>(new String[0], new Object[0]);

    final String[] keys;
    final Object[] values;

    /** Takes the arrays as they are: the caller writes neither again. */
    SmallMap(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** {@code map} itself when it is one, else a copy in its iteration order; null keys and values are refused. */
    @SuppressWarnings("unchecked")
    static <V> SmallMap<V> of(Map<String, ? extends V> map) {
        if (map instanceof SmallMap<?> small) {
            return (SmallMap<V>) small;
        }
        if (map.isEmpty()) {
            return (SmallMap<V>) EMPTY;
        }
        String[] keys = new String[map.size()];
        Object[] values = new Object[map.size()];
        int i = 0;
        for (Map.Entry<String, ? extends V> entry : map.entrySet()) {
            keys[i] = Objects.requireNonNull(entry.getKey(), "key");
            values[i++] = Objects.requireNonNull(entry.getValue(), () -> "value of " + entry.getKey());
        }
        return new SmallMap<>(keys, values);
    }

    static int indexOf(String[] keys, Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == key) {
                return i;
            }
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(keys, key);
        return i < 0 ? null : (V) values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(keys, key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super String, ? super V> action) {
        for (int i = 0; i < keys.length; i++) {
            action.accept(keys[i], (V) values[i]);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Collection<V> values() {
        return (Collection<V>) Collections.unmodifiableList(Arrays.asList(values));
    }

    @Override
    public Set<String> keySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public boolean contains(Object key) {
                return indexOf(keys, key) >= 0;
            }

            @Override
            public Iterator<String> iterator() {
                return Collections.unmodifiableList(Arrays.asList(keys)).iterator();
            }
        };
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Entry<String, V> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return Map.entry(keys[i], (V) values[i]);
                    }
                };
            }
        };
    }
}

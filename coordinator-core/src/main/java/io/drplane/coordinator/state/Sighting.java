package io.drplane.coordinator.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.drplane.coordinator.breaker.Breaker;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What one vantage point last saw of one region: when it last reported, and the breaker of each of the region's
 * targets (in plan order; null until the target's first observation). Immutable: {@link #with} returns a copy.
 */
public final class Sighting {

    private final Instant lastSeen;
    private final Breaker[] breakers;

    @JsonCreator
    Sighting(@JsonProperty("lastSeen") Instant lastSeen, @JsonProperty("breakers") Breaker[] breakers) {
        this.lastSeen = lastSeen;
        this.breakers = breakers;
    }

    public static Sighting empty(int targets) {
        return new Sighting(null, new Breaker[targets]);
    }

    @JsonProperty("lastSeen")
    public Instant lastSeen() {
        return lastSeen;
    }

    @JsonProperty("breakers")
    Breaker[] breakers() {
        return breakers.clone();
    }

    public int size() {
        return breakers.length;
    }

    /** The breaker of target {@code index}; null before its first observation. */
    public Breaker breaker(int index) {
        return breakers[index];
    }

    public Sighting with(int index, Breaker breaker, Instant seen) {
        Instant latest = lastSeen == null || seen.isAfter(lastSeen) ? seen : lastSeen;
        if (breaker.equals(breakers[index])) {
            // The breakers are as they were: share them (never written after construction) and move the time only.
            return latest.equals(lastSeen) ? this : new Sighting(latest, breakers);
        }
        Breaker[] copy = Arrays.copyOf(breakers, breakers.length);
        copy[index] = breaker;
        return new Sighting(latest, copy);
    }

    /** Whether every breaker stands where the other's does (see {@link Breaker#sameStanding}). */
    boolean sameBreakerStandings(Sighting other) {
        if (other == null || other.breakers.length != breakers.length) {
            return false;
        }
        for (int i = 0; i < breakers.length; i++) {
            Breaker mine = breakers[i];
            if (mine == null ? other.breakers[i] != null : !mine.sameStanding(other.breakers[i])) {
                return false;
            }
        }
        return true;
    }

    public int failing() {
        int failing = 0;
        for (Breaker b : breakers) {
            if (b != null && b.failing()) {
                failing++;
            }
        }
        return failing;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sighting other
                && Objects.equals(lastSeen, other.lastSeen)
                && Arrays.equals(breakers, other.breakers);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(lastSeen) + Arrays.hashCode(breakers);
    }

    @Override
    public String toString() {
        return "Sighting[lastSeen=" + lastSeen + ", breakers=" + Arrays.toString(breakers) + "]";
    }
}

package io.drplane.kafka;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Records of one partition are handled in parallel or held back and finish in any order; the offset to commit is the
 * one after the highest offset below which everything has finished, so a crash re-delivers only unfinished records.
 */
public final class OffsetTracker {

    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long highestSeen = -1;
    private long committed = -1;

    public void started(long offset) {
        unfinished.add(offset);
        highestSeen = Math.max(highestSeen, offset);
    }

    public void finished(long offset) {
        unfinished.remove(offset);
    }

    /** The next offset to commit, if it moved since the last call. */
    public OptionalLong committable() {
        long next = unfinished.isEmpty() ? highestSeen + 1 : unfinished.first();
        if (next <= committed || next == 0) {
            return OptionalLong.empty();
        }
        committed = next;
        return OptionalLong.of(next);
    }

    public int inFlight() {
        return unfinished.size();
    }
}

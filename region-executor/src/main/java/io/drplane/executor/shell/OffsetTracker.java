package io.drplane.executor.shell;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Commands of one partition run in parallel and finish in any order; the offset to commit is the one after the
 * highest offset below which everything has finished, so a crash re-delivers only unfinished commands.
 */
final class OffsetTracker {

    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long highestSeen = -1;
    private long committed = -1;

    void started(long offset) {
        unfinished.add(offset);
        highestSeen = Math.max(highestSeen, offset);
    }

    void finished(long offset) {
        unfinished.remove(offset);
    }

    /** The next offset to commit, if it moved since the last call. */
    OptionalLong committable() {
        long next = unfinished.isEmpty() ? highestSeen + 1 : unfinished.first();
        if (next <= committed || next == 0) {
            return OptionalLong.empty();
        }
        committed = next;
        return OptionalLong.of(next);
    }

    int inFlight() {
        return unfinished.size();
    }
}

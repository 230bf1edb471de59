package io.drplane.replicationtracker.measure;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The heartbeats written to a link's primary, and the lag they imply once we know which one the replica has
 * replayed. Everything is on the tracker's own clock (it writes the beat and reads it back), so clock skew between
 * the database hosts does not enter the figure.
 *
 * <p>If the replica has replayed the newest beat, it is caught up as far as the heartbeat can tell: lag 0. Otherwise
 * it misses at least the beat after the replayed one, written at {@code t}: the lag is {@code now - t}, the age of the
 * oldest write it has not applied, to within one interval.
 */
public final class HeartbeatHistory {

    private record Beat(long seq, long millis) {
    }

    private static final int KEEP = 1_000;
    private final Deque<Beat> beats = new ArrayDeque<>();

    public void written(long seq, long millis) {
        beats.addLast(new Beat(seq, millis));
        if (beats.size() > KEEP) {
            beats.removeFirst();
        }
    }

    /** The next sequence number: one more than the last, or the clock when nothing was written yet (keeps rising across restarts). */
    public long nextSeq(long nowMillis) {
        return beats.isEmpty() ? nowMillis : beats.getLast().seq() + 1;
    }

    /** The lag implied by the replica having replayed the beat {@code replayedSeq}, written at {@code replayedMillis}. */
    public long lagMillis(long nowMillis, long replayedSeq, long replayedMillis) {
        if (beats.isEmpty() || replayedSeq >= beats.getLast().seq()) {
            return beats.isEmpty() ? nowMillis - replayedMillis : 0;
        }
        for (Beat beat : beats) {
            if (beat.seq() > replayedSeq) {
                return nowMillis - beat.millis();
            }
        }
        return nowMillis - replayedMillis;
    }
}

package io.drplane.replicationtracker.measure;

/**
 * The heartbeats written to a link's primary, and the lag they imply once we know which one the replica has
 * replayed. Everything is on the tracker's own clock (it writes the beat and reads it back), so clock skew between
 * the database hosts does not enter the figure.
 *
 * <p>Everything committed before the replayed beat was written is on the replica. If that is the newest beat written
 * so far, the replica is caught up as far as the heartbeat can tell: lag 0. Otherwise the oldest write it lacks is
 * younger than the replayed beat, so {@code now - replayed beat} bounds the lag from above: the figure errs on the
 * safe side (for an RPO guard), by less than the time between two beats.
 */
public final class HeartbeatHistory {

    private long lastSeq = -1;

    public synchronized void written(long seq, long millis) {
        lastSeq = Math.max(lastSeq, seq);
    }

    /** The next sequence number: one more than the last, or the clock when nothing was written yet (keeps rising across restarts). */
    public synchronized long nextSeq(long nowMillis) {
        return lastSeq < 0 ? nowMillis : lastSeq + 1;
    }

    /** The lag implied by the replica having replayed beat {@code replayedSeq}, written at {@code replayedMillis}. */
    public synchronized long lagMillis(long nowMillis, long replayedSeq, long replayedMillis) {
        if (lastSeq >= 0 && replayedSeq >= lastSeq) {
            return 0;
        }
        return Math.max(0, nowMillis - replayedMillis);
    }
}

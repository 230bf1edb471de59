package io.drplane.healthmonitor.publish;

import io.drplane.events.Event;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Observations waiting to be published. Bounded: when Kafka is away long enough to fill it, the oldest
 * observation is dropped for the newest (the coordinator only acts on fresh ones anyway), and every drop is
 * counted. Adding never blocks, so probing never waits for Kafka.
 */
public final class ObservationBuffer {

    private final int capacity;
    private final Deque<Event<?>> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final AtomicLong dropped = new AtomicLong();

    public ObservationBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("buffer capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds a new observation at the tail, dropping the oldest when full. */
    public void add(Event<?> event) {
        lock.lock();
        try {
            if (queue.size() >= capacity) {
                queue.pollFirst();
                dropped.incrementAndGet();
            }
            queue.addLast(event);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts back an observation that could not be sent, at the head so it goes first. If the buffer filled up in
     * the meantime, the returned observation is itself the oldest and is the one dropped.
     */
    public void putBack(Event<?> event) {
        lock.lock();
        try {
            if (queue.size() >= capacity) {
                dropped.incrementAndGet();
                return;
            }
            queue.addFirst(event);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest observation, waiting up to the timeout for one; null if none came. */
    public Event<?> take(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            long nanos = unit.toNanos(timeout);
            while (queue.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return queue.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    public int depth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        return capacity;
    }

    /** Observations dropped since start. */
    public long dropped() {
        return dropped.get();
    }
}

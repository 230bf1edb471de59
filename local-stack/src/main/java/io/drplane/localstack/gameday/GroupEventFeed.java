package io.drplane.localstack.gameday;

import io.drplane.events.Event;
import io.drplane.events.GroupEvent;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** One group's events as a game day follows them: each printed on the timeline as it comes. */
final class GroupEventFeed {

    private final String group;
    private final Supplier<Optional<Event<?>>> nextEvent;

    /** {@code nextEvent}: the next event on the followed topics, empty after a short wait with none. */
    GroupEventFeed(String group, Supplier<Optional<Event<?>>> nextEvent) {
        this.group = group;
        this.nextEvent = nextEvent;
    }

    /**
     * Prints the group's events as they come until one satisfies {@code stop} (returned) or the deadline passes
     * (empty).
     */
    Optional<GroupEvent> until(Timeline timeline, PrintWriter out, Instant deadline, Predicate<GroupEvent> stop) {
        while (Instant.now().isBefore(deadline)) {
            Optional<Event<?>> next = nextEvent.get();
            if (next.isEmpty()) {
                continue;
            }
            Event<?> event = next.get();
            if (!(event.data() instanceof GroupEvent data) || !data.group().equals(group)) {
                continue;
            }
            timeline.add(event, out);
            if (stop.test(data)) {
                return Optional.of(data);
            }
        }
        return Optional.empty();
    }

    /** Waits a little for the next event, whatever it is (a pause that keeps the feed drained). */
    void drain() {
        nextEvent.get();
    }
}

package io.drplane.events;

/**
 * The payload of one drplane event: the {@code data} of a CloudEvent. Each implementation is a record
 * registered once in {@link EventType}, which gives it its CloudEvents type name.
 */
public interface EventData {

    /** The CloudEvents {@code subject}: the failover group for group events. Also the Kafka key. */
    String subject();

    default EventType eventType() {
        return EventType.of(getClass());
    }
}

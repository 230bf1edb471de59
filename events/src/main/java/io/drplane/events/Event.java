package io.drplane.events;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * One drplane event: the CloudEvents envelope attributes and the typed payload. The type name and subject
 * come from the payload, so they cannot disagree with it. Times are kept to the millisecond, as on the wire.
 */
public record Event<T extends EventData>(String id, URI source, Instant time, T data) {
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        time = time.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A new event with a random id, stamped with the given (observer's) time. */
    public static <T extends EventData> Event<T> of(URI source, Instant time, T data) {
        return new Event<>(UUID.randomUUID().toString(), source, time, data);
    }

    public EventType type() {
        return data.eventType();
    }

    public String subject() {
        return data.subject();
    }

    /** The source URI of a drplane service instance, for example {@code /drplane/health-monitor/us-east-2a}. */
    public static URI sourceOf(String service, String instance) {
        return URI.create("/drplane/" + service + "/" + instance);
    }
}

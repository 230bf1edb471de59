package io.drplane.runtime;

import io.drplane.events.kafka.DeadLetteringReader;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clock and the dead-letter path every service uses. Tests replace the clock. */
@Factory
public class RuntimeFactory {

    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    public DeadLetteringReader deadLetteringReader(DeadLetters deadLetters) {
        return deadLetters.reader();
    }
}

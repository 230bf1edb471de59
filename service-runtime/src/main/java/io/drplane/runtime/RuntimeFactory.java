package io.drplane.runtime;

import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clock and the dead-letter path every service uses. Tests replace the clock. */
@Factory
public class RuntimeFactory {

    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * How every Kafka client of the service connects, raw clients and micronaut-kafka's alike: micronaut-kafka reads
     * the same {@code kafka.*} properties.
     */
    @Singleton
    public KafkaClientConfig kafkaClientConfig(@Value("${kafka.bootstrap.servers}") String bootstrapServers) {
        return KafkaClientConfig.plaintext(bootstrapServers);
    }

    @Singleton
    public DeadLetteringReader deadLetteringReader(DeadLetters deadLetters) {
        return deadLetters.reader();
    }
}

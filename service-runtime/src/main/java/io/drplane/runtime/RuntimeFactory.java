package io.drplane.runtime;

import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.KafkaConnectionSettings;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
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
    public KafkaClientConfig kafkaClientConfig(
            @Value("${kafka.bootstrap.servers}") String bootstrapServers, Environment environment) {
        // KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM... and the file DRPLANE_KAFKA_PROPERTIES names (see
        // DrplaneService)
        return KafkaClientConfig.plaintext(bootstrapServers)
                .withConnection(
                        KafkaConnectionSettings.select(environment.getProperties("kafka", StringConvention.RAW)));
    }

    @Singleton
    public DeadLetteringReader deadLetteringReader(DeadLetters deadLetters) {
        return deadLetters.reader();
    }
}

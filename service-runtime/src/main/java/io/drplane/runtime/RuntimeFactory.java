package io.drplane.runtime;

import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.KafkaConnectionSettings;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The clock and the dead-letter path every service uses. Tests replace the clock. */
@Factory
public class RuntimeFactory {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeFactory.class);

    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * How every Kafka client of the service connects, drplane's raw clients and micronaut-kafka's alike (see
     * {@link MicronautKafkaConnection}): the file {@code DRPLANE_KAFKA_PROPERTIES} names, read as it is (its
     * {@code ${file:...}} and {@code ${env:...}} are Kafka's config providers, not Micronaut placeholders), then
     * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}... over it.
     */
    @Singleton
    public KafkaClientConfig kafkaClientConfig(
            @Value("${kafka.bootstrap.servers}") String bootstrapServers,
            @Nullable @Value("${drplane.kafka-properties:}") String propertiesFile,
            Environment environment) {
        KafkaClientConfig config = propertiesFile == null || propertiesFile.isBlank()
                ? KafkaClientConfig.plaintext(bootstrapServers)
                : KafkaClientConfig.fromFile(bootstrapServers, Path.of(propertiesFile));
        KafkaClientConfig connected = config.withConnection(
                KafkaConnectionSettings.select(environment.getProperties("kafka", StringConvention.RAW)));
        LOG.info(
                "Kafka clients connect to {} (settings {})",
                connected.describe(),
                connected.connection().keySet());
        return connected;
    }

    @Singleton
    public DeadLetteringReader deadLetteringReader(DeadLetters deadLetters) {
        return deadLetters.reader();
    }
}

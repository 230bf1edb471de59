package io.drplane.runtime;

import io.drplane.events.codec.EventCodec;
import io.drplane.events.kafka.DeadLetteringReader;
import io.drplane.events.kafka.KafkaSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/** The clock and the dead-letter path every service uses. Tests replace the clock. */
@Factory
public class RuntimeFactory {

    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Bean(preDestroy = "close")
    public Producer<byte[], byte[]> deadLetterProducer(@Value("${kafka.bootstrap.servers}") String bootstrapServers,
                                                       ServiceIdentity identity) {
        return new KafkaProducer<>(KafkaSettings.deadLetterProducer(bootstrapServers, identity.getService() + "-" + identity.getInstance()));
    }

    @Singleton
    public DeadLetteringReader deadLetteringReader(Producer<byte[], byte[]> deadLetterProducer, ServiceIdentity identity, Clock clock) {
        return new DeadLetteringReader(deadLetterProducer, identity.consumerGroup(), EventCodec.instance(), clock);
    }
}

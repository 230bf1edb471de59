package io.drplane.runtime;

import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The service's dead-letter path: its own producer (raw bytes, room for whole oversized originals) and the reader
 * every consumer of the service decodes through. The producer is not a bean: micronaut-kafka offers producers of its
 * own, and this one must not be mistaken for them.
 */
@Singleton
public class DeadLetters implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final DeadLetteringReader reader;

    public DeadLetters(KafkaClientConfig kafka, ServiceIdentity identity, Clock clock) {
        this.producer =
                new KafkaProducer<>(kafka.deadLetterProducer(identity.getService() + "-" + identity.getInstance()));
        this.reader = new DeadLetteringReader(producer, identity.consumerGroup(), EventCodec.instance(), clock);
    }

    public DeadLetteringReader reader() {
        return reader;
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

package io.drplane.runtime;

import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.TopicFamily;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.RecordSignatures;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes this service's events: keyed by group, to the topic of the event's family (commands to their
 * region's topic), stamped with this instance as source and the injected clock as time.
 */
@Singleton
public class EventPublisher implements AutoCloseable {

    private final Producer<String, Event<?>> producer;
    private final ServiceIdentity identity;
    private final Clock clock;

    /** @param operatorKeys the keys operator events are signed with: only the coordinator, whose API writes them, has them */
    public EventPublisher(
            KafkaClientConfig kafka,
            ServiceIdentity identity,
            Clock clock,
            @Nullable @Named("operator-events") RecordSignatures operatorKeys) {
        this(
                new KafkaProducer<>(
                        operatorKeys == null
                                ? kafka.eventProducer(identity.getService() + "-" + identity.getInstance())
                                : kafka.signingEventProducer(
                                        identity.getService() + "-" + identity.getInstance(), operatorKeys)),
                identity,
                clock);
    }

    EventPublisher(Producer<String, Event<?>> producer, ServiceIdentity identity, Clock clock) {
        this.producer = producer;
        this.identity = identity;
        this.clock = clock;
    }

    public <T extends EventData> CompletableFuture<RecordMetadata> publish(T data) {
        return publish(Event.of(identity.source(), clock.instant(), data));
    }

    public CompletableFuture<RecordMetadata> publish(Event<?> event) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        producer.send(
                new ProducerRecord<>(TopicFamily.topicFor(event.data()), event.subject(), event), (metadata, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(metadata);
                    }
                });
        return result;
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}

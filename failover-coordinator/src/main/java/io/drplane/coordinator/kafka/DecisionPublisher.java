package io.drplane.coordinator.kafka;

import io.drplane.coordinator.decider.Decision;
import io.drplane.coordinator.replay.Replayer;
import io.drplane.events.BreakerTransitioned;
import io.drplane.events.Command;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.EventSerializer;
import io.drplane.kafka.RecordSignatures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends what a decision emitted, and dead letters, into the open transaction. The loop's thread only. */
final class DecisionPublisher {

    private final Producer<String, byte[]> producer;
    private final URI source;
    private final RecordSignatures commandKeys;

    DecisionPublisher(Producer<String, byte[]> producer, URI source, RecordSignatures commandKeys) {
        this.producer = producer;
        this.source = source;
        this.commandKeys = commandKeys;
    }

    /** Sends the decision's events; true when one of them is a command. */
    boolean publish(Event<?> input, Decision decision, OpenTransaction tx) {
        boolean commanded = false;
        List<EventData> emitted = decision.emitted();
        Instant time = decision.state().now();
        for (int i = 0; i < emitted.size(); i++) {
            EventData data = emitted.get(i);
            // Deterministic ids: replaying the same input gives the same events, ids included.
            Event<?> event = new Event<>(Replayer.idOf(input, decision.state().group(), i), source, time, data);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    TopicFamily.topicFor(data),
                    event.subject(),
                    EventCodec.instance().encode(event));
            EventSerializer.markAsCloudEvent(record.headers()); // CloudEvents' Kafka binding, as every other producer
            if (data instanceof Command) {
                // The executors run only what the coordinator signed, whoever else may write to their topic.
                commandKeys.sign(record.topic(), record.value(), record.headers());
            }
            producer.send(record);
            commanded |= data instanceof Command;
            if (!(data instanceof BreakerTransitioned)) {
                tx.decided.add(event); // shown once its transaction commits: an aborted one is decided again
            }
        }
        return commanded;
    }

    /**
     * Dead letters go into the open transaction, with the offset that moves past their input: an aborted transaction
     * reads the input again and leaves no dead letter of it, where a separate producer's write stayed and was made again.
     */
    void deadLetter(ProducerRecord<byte[], byte[]> dead) {
        producer.send(new ProducerRecord<>(
                dead.topic(),
                null,
                null,
                dead.key() == null ? null : new String(dead.key(), StandardCharsets.UTF_8),
                dead.value(),
                dead.headers()));
    }
}

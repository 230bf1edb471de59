package io.drplane.coordinator.kafka;

import io.drplane.events.CoordinatorTicked;
import io.drplane.events.Event;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.TopicFamily;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.RecordSignatures;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What an input must pass before the decider sees it: a size the journal can hold, for an operator event the API's
 * signature, a readable event from its own topic, and the key of the group it is about. Anything else is dead-lettered with the reason, and the group's decisions go on.
 */
final class InputGate {

    /**
     * The largest input (key and value) decided. Each is journaled in a record of its own at most, with its topic and
     * offset, and that record must fit the producer's max.request.size (1 MB): an input near the broker's 1 MB limit
     * would fail every commit holding it. drplane's inputs are a few hundred bytes; half a megabyte leaves room.
     */
    static final int MAX_INPUT_BYTES = 512 * 1024;

    private final DeadLetteringReader reader;
    private final GroupSlots slots;
    private final RecordSignatures operatorKeys;

    InputGate(DeadLetteringReader reader, GroupSlots slots, RecordSignatures operatorKeys) {
        this.reader = reader;
        this.slots = slots;
        this.operatorKeys = operatorKeys;
    }

    /** Refuses an input the decider would not take in (its time cannot be trusted), with the decider's reason. */
    void refuse(ConsumerRecord<String, byte[]> record, Reason reason, DeadLetteringReader.Sink deadLetters) {
        reader.refuse(record, reason.code() + ": " + reason.message(), deadLetters);
    }

    /** The input's event, or empty when it was refused to the dead-letter topic through {@code deadLetters}. */
    Optional<Event<?>> admit(ConsumerRecord<String, byte[]> record, DeadLetteringReader.Sink deadLetters) {
        int size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        if (size > MAX_INPUT_BYTES) {
            reader.refuse(
                    record,
                    "an input of " + size + " bytes is over the " + MAX_INPUT_BYTES + " bytes the coordinator"
                            + " takes: every input it decides is journaled, and a journal record must fit the producer's request size",
                    deadLetters);
            return Optional.empty();
        }
        if (record.topic().equals(TopicFamily.OPERATOR.topic())) {
            // Anyone who may write to the topic could otherwise speak for an operator: only the API holds the key.
            Optional<RecordSignatures.Refusal> unsigned =
                    operatorKeys.verify(record.topic(), record.value(), record.headers());
            if (unsigned.isPresent()) {
                refuse(
                        record,
                        Reason.of(
                                unsigned.get().problem() == RecordSignatures.Problem.MISSING
                                        ? ReasonCode.OPERATOR_SIGNATURE_MISSING
                                        : ReasonCode.OPERATOR_SIGNATURE_INVALID,
                                unsigned.get().message() + "."),
                        deadLetters);
                return Optional.empty();
            }
        }
        Optional<Event<?>> event = reader.read(record, deadLetters);
        if (event.isEmpty()) {
            return event;
        }
        String belongsOn = TopicFamily.topicFor(event.get().data());
        if (!belongsOn.equals(record.topic())) {
            // Who may write an event is said per topic (its ACL): an operator's request on the health topic must not be
            // read as one, or anyone who may report health could steer a failover.
            refuse(
                    record,
                    Reason.of(
                            ReasonCode.INPUT_ON_WRONG_TOPIC,
                            "the event " + event.get().type().shortName() + " belongs on " + belongsOn + ", not on "
                                    + record.topic()
                                    + ": each input is taken only from its own topic, whose ACL says who may write it."),
                    deadLetters);
            return Optional.empty();
        }
        String subject = event.get().subject();
        if (!(event.get().data() instanceof CoordinatorTicked)
                && slots.planned(subject)
                && !subject.equals(record.key())) {
            reader.refuse(
                    record,
                    "the input is keyed '" + record.key() + "' but is about group '" + subject + "': inputs are"
                            + " keyed by their group, so that a group's inputs reach the instance that owns its state; decided here, it"
                            + " could change a state another instance owns",
                    deadLetters);
            return Optional.empty();
        }
        return event;
    }
}

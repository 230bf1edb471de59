package io.drplane.kafka;

import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer for drplane events: CloudEvents structured mode, so the record value is the whole
 * event and the {@code content-type} header says so (the CloudEvents Kafka protocol binding).
 */
public final class EventSerializer implements Serializer<Event<?>> {

    public static final String CONTENT_TYPE_HEADER = "content-type";
    /** Marks a record of encoded event bytes as a structured-mode CloudEvent, as this serializer does. */
    public static void markAsCloudEvent(Headers headers) {
        headers.remove(CONTENT_TYPE_HEADER);
        headers.add(CONTENT_TYPE_HEADER, CONTENT_TYPE);
    }

    private static final byte[] CONTENT_TYPE =
            (EventCodec.CONTENT_TYPE + "; charset=UTF-8").getBytes(StandardCharsets.UTF_8);

    /**
     * Producer setting whose value is an {@link OperatorSignatures}: operator events this producer writes are signed
     * with it. Only the coordinator's API sets it.
     */
    public static final String OPERATOR_KEYS_CONFIG = "drplane.operator-keys";

    private final EventCodec codec = EventCodec.instance();
    private OperatorSignatures operatorKeys;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (configs.get(OPERATOR_KEYS_CONFIG) instanceof OperatorSignatures keys) {
            operatorKeys = keys;
        }
    }

    @Override
    public byte[] serialize(String topic, Event<?> event) {
        return event == null ? null : codec.encode(event);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Event<?> event) {
        if (event == null) {
            return null;
        }
        headers.remove(CONTENT_TYPE_HEADER);
        headers.add(CONTENT_TYPE_HEADER, CONTENT_TYPE);
        byte[] value = codec.encode(event);
        if (operatorKeys != null && topic.equals(TopicFamily.OPERATOR.topic())) {
            operatorKeys.sign(topic, value, headers);
        }
        return value;
    }
}

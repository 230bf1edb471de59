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
     * Producer setting whose value is an {@link RecordSignatures}: operator events this producer writes are signed
     * with it. Only the coordinator's API sets it.
     */
    public static final String OPERATOR_KEYS_CONFIG = "drplane.operator-keys";

    /** Producer setting whose value is a {@link RecordSignatures}: the commands this producer writes are signed with it. */
    public static final String COMMAND_KEYS_CONFIG = "drplane.command-keys";

    private static final String COMMAND_TOPIC_PREFIX =
            TopicFamily.COMMANDS.topic("us-east-1").replace("us-east-1.v1", "");

    private final EventCodec codec = EventCodec.instance();
    private RecordSignatures operatorKeys;
    private RecordSignatures commandKeys;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (configs.get(OPERATOR_KEYS_CONFIG) instanceof RecordSignatures keys) {
            operatorKeys = keys;
        }
        if (configs.get(COMMAND_KEYS_CONFIG) instanceof RecordSignatures keys) {
            commandKeys = keys;
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
        if (commandKeys != null && topic.startsWith(COMMAND_TOPIC_PREFIX)) {
            commandKeys.sign(topic, value, headers);
        }
        return value;
    }
}

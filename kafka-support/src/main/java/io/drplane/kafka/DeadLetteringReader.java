package io.drplane.kafka;

import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.events.codec.EventJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way every drplane consumer reads a record: decode it, or, when it cannot be parsed, write it whole
 * (key, value, original headers) to {@code dr.deadletter.v1} with where it came from and why it failed, and
 * let the consumer go on. The dead-letter write is acknowledged before this returns, so committing the
 * offset afterwards loses nothing; if that write fails, a {@link DeadLetterException} stops the commit.
 * A transactional consumer passes a {@link Sink} of its own instead, which writes the dead letter in the
 * transaction that commits the offset: both or neither, and an aborted transaction leaves no dead letter.
 */
public final class DeadLetteringReader {

    /** Where a dead letter is written. */
    @FunctionalInterface
    public interface Sink {
        /** Writes the dead letter; it is written for good once this returns, or once the caller's transaction commits. */
        void write(ProducerRecord<byte[], byte[]> deadLetter);
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringReader.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<byte[], byte[]> deadLetterProducer;
    private final String consumerGroup;
    private final EventCodec codec;
    private final Clock clock;
    private final AtomicLong deadLettered = new AtomicLong();

    public DeadLetteringReader(
            Producer<byte[], byte[]> deadLetterProducer, String consumerGroup, EventCodec codec, Clock clock) {
        this.deadLetterProducer = deadLetterProducer;
        this.consumerGroup = consumerGroup;
        this.codec = codec;
        this.clock = clock;
    }

    /** The event in the record, or empty when it was dead-lettered. */
    public Optional<Event<?>> read(ConsumerRecord<?, byte[]> record) {
        return read(record, this::sendAcknowledged);
    }

    /** The event in the record, or empty when it was dead-lettered into {@code sink}. */
    public Optional<Event<?>> read(ConsumerRecord<?, byte[]> record, Sink sink) {
        try {
            return Optional.of(codec.decode(record.value()));
        } catch (EventDecodingException e) {
            deadLetter(record, e, sink);
            return Optional.empty();
        }
    }

    /** Dead-letters a record its consumer will not take, saying why, without reading it. */
    public void refuse(ConsumerRecord<?, byte[]> record, String why) {
        refuse(record, why, this::sendAcknowledged);
    }

    /** Dead-letters a record its consumer will not take into {@code sink}, saying why, without reading it. */
    public void refuse(ConsumerRecord<?, byte[]> record, String why, Sink sink) {
        deadLetter(record, new InputRefusedException(why), sink);
    }

    /** How many records this reader has dead-lettered (into a transaction that may have aborted, for a transactional sink). */
    public long deadLettered() {
        return deadLettered.get();
    }

    private void deadLetter(ConsumerRecord<?, byte[]> record, Exception error, Sink sink) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, utf8(record.topic()));
        headers.add(DeadLetterHeaders.ORIGINAL_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(DeadLetterHeaders.ORIGINAL_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(DeadLetterHeaders.ORIGINAL_TIMESTAMP, utf8(Long.toString(record.timestamp())));
        headers.add(DeadLetterHeaders.CONSUMER_GROUP, utf8(consumerGroup));
        headers.add(DeadLetterHeaders.ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(DeadLetterHeaders.ERROR_MESSAGE, utf8(error.getMessage()));
        headers.add(DeadLetterHeaders.FAILED_AT, utf8(EventJson.formatMillis(clock.instant())));
        byte[] key = keyBytes(record.key());
        ProducerRecord<byte[], byte[]> dead =
                new ProducerRecord<>(TopicFamily.DEADLETTER.topic(), null, null, key, record.value(), headers);
        sink.write(dead);
        deadLettered.incrementAndGet();
        LOG.warn("dead-lettered {} for consumer group {}: {}", where(dead), consumerGroup, error.getMessage());
    }

    /** What is kept of an original the broker refuses whole: enough to see what it was. */
    static final int TRUNCATED_BYTES = 64 * 1024;

    /**
     * The default sink: sends the dead letter and waits for the broker's acknowledgement. An original the broker
     * refuses as too large (a dead-letter topic or broker with a lower limit than drplane provisions) is sent again
     * cut to its first {@value #TRUNCATED_BYTES} bytes, saying so: otherwise the consumer could never move past it,
     * and would read and fail on it for ever.
     */
    private void sendAcknowledged(ProducerRecord<byte[], byte[]> dead) {
        try {
            send(dead);
        } catch (DeadLetterException e) {
            if (!(e.getCause() instanceof ExecutionException ee && ee.getCause() instanceof RecordTooLargeException)
                    || dead.value() == null
                    || dead.value().length <= TRUNCATED_BYTES) {
                throw e;
            }
            RecordHeaders headers = new RecordHeaders(dead.headers().toArray());
            headers.add(DeadLetterHeaders.TRUNCATED_FROM, utf8(Integer.toString(dead.value().length)));
            byte[] head = Arrays.copyOf(dead.value(), TRUNCATED_BYTES);
            LOG.error(
                    "{} is too large for the dead-letter topic ({} bytes): its first {} bytes are dead-lettered",
                    where(dead),
                    dead.value().length,
                    TRUNCATED_BYTES);
            send(new ProducerRecord<>(dead.topic(), null, null, dead.key(), head, headers));
        }
    }

    private void send(ProducerRecord<byte[], byte[]> dead) {
        try {
            deadLetterProducer.send(dead).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted while dead-lettering " + where(dead), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DeadLetterException(
                    "could not dead-letter " + where(dead) + " (" + header(dead, DeadLetterHeaders.ERROR_MESSAGE) + ")",
                    e);
        }
    }

    /** Where the dead letter's record was read: topic-partition@offset. */
    private static String where(ProducerRecord<byte[], byte[]> dead) {
        return header(dead, DeadLetterHeaders.ORIGINAL_TOPIC) + "-" + header(dead, DeadLetterHeaders.ORIGINAL_PARTITION)
                + "@" + header(dead, DeadLetterHeaders.ORIGINAL_OFFSET);
    }

    private static String header(ProducerRecord<byte[], byte[]> dead, String name) {
        Header header = dead.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] keyBytes(Object key) {
        if (key == null) {
            return null;
        }
        if (key instanceof byte[] bytes) {
            return bytes;
        }
        return utf8(key.toString());
    }

    private static byte[] utf8(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }
}

package io.drplane.kafka;

/** Headers a dead-lettered record carries, next to its original headers, key and value. */
public final class DeadLetterHeaders {
    public static final String ORIGINAL_TOPIC = "dr.dlq.original-topic";
    public static final String ORIGINAL_PARTITION = "dr.dlq.original-partition";
    public static final String ORIGINAL_OFFSET = "dr.dlq.original-offset";
    public static final String ORIGINAL_TIMESTAMP = "dr.dlq.original-timestamp";
    public static final String CONSUMER_GROUP = "dr.dlq.consumer-group";
    public static final String ERROR_CLASS = "dr.dlq.error-class";
    public static final String ERROR_MESSAGE = "dr.dlq.error-message";
    public static final String FAILED_AT = "dr.dlq.failed-at";
    /** Set when the broker refused the whole original as too large: the original value's size in bytes. */
    public static final String TRUNCATED_FROM = "dr.dlq.truncated-from";

    private DeadLetterHeaders() {}
}

package io.drplane.coordinator.kafka;

import io.drplane.events.TopicFamily;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.journal.JournalReader;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How the coordinator's Kafka clients are configured, on top of the shared {@link KafkaClientConfig}: what it reads,
 * its consumer group, and its transactional producer. Why each setting is what it is stands next to it.
 */
public final class CoordinatorClients {

    /** The coordinator's inputs: co-partitioned (keyed by group), so partition i of each lands on one instance. */
    public static final List<String> INPUTS = List.of(
            TopicFamily.HEALTH.topic(),
            TopicFamily.REPLICATION.topic(),
            TopicFamily.BACKUP.topic(),
            TopicFamily.OPERATOR.topic(),
            TopicFamily.COMMAND_RESULTS.topic(),
            TopicFamily.TICKS.topic());

    public static final String CONSUMER_GROUP = "drplane-failover-coordinator";
    /** How long the broker waits for a silent instance before its partitions go to another (see consumer). */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** How long a transaction may stay open before the broker aborts it (see producer). */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    /** The producer's batch size; a journal record stays under it with room for the batch's own overhead. */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    private CoordinatorClients() {}

    /** The input partition a group's events go to (Kafka's default partitioner on the group key). */
    public static int partitionOf(String group) {
        return JournalReader.partitionOf(group);
    }

    /** The transactional producer of the instance {@code instance}: its decisions, commands, journal, snapshots and offsets. */
    public static Properties producer(KafkaClientConfig kafka, String instance) {
        Properties config = new Properties();
        config.putAll(kafka.common());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "drplane-failover-coordinator-" + instance);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A send into a partition whose previous transaction marker is still being written is answered
        // CONCURRENT_TRANSACTIONS and retried after the backoff; the marker takes milliseconds, and the default backoff
        // (100 ms) would land on a decision's latency. Retry soon; the backoff still grows if it lasts.
        config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 2);
        config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
        // Uncompressed: lz4 allocated two 64 KB block buffers for every batch it compressed, and a transaction writes a
        // batch to every partition it touches in four topics. At 10,000 inputs a second that was 13% of everything the
        // JVM allocated, broker included, and the broker had to decompress each batch again to check it. The journal
        // repeats every input, so it takes more disk; a collection less often is worth more to a decision's latency.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // Room for a whole journal record in one batch: the producer takes batches of this size from its pool and
        // allocates a fresh buffer for any record that does not fit, which at 10,000 inputs a second was a third of
        // the loop's garbage.
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, PRODUCER_BATCH_BYTES);
        // A transaction of an instance that died stays open until this timeout, and until the broker aborts it no
        // read_committed reader sees past it on the partitions it wrote: the commands its successor issues would wait
        // behind it (the default is a minute). The loop's own transactions last about 100 ms.
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /** The loop's consumer: read_committed, offsets committed with its transactions, inputs co-assigned by range. */
    public static Properties consumer(KafkaClientConfig kafka) {
        Properties config = kafka.consumerProperties(CONSUMER_GROUP, null);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        // The groups of an instance that died are decided by nobody until the broker gives up on its session: the
        // client's default of 45 s would add that to every failover that coincides with a coordinator's crash.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis() / 3);
        // A backlog (after a takeover, say) is read in large polls; CommitSchedule decides where transactions end.
        // The fetch wait is the default: a 20 ms one had hidden the receive buffer's stalls by keeping responses small;
        // with the OS sizing the buffer the default measures the same, and an idle coordinator does not fetch 50 times
        // a second.
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        return config;
    }

    /** The restore's consumer: the loop's, without a group (it assigns the snapshot and journal partitions itself). */
    static Properties restoreConsumer(KafkaClientConfig kafka) {
        Properties config = consumer(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return config;
    }
}

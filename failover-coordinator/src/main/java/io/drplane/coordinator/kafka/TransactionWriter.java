package io.drplane.coordinator.kafka;

import io.drplane.coordinator.state.StateCodec;
import io.drplane.events.TopicFamily;
import io.drplane.kafka.journal.JournalBatch;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what a transaction keeps besides its decisions: the journal of its inputs and the snapshots it marked, with
 * the positions that tie a snapshot to the inputs and journal it holds (see {@link SnapshotPosition}). Keeps, per
 * owned partition, where the committed input and journal end. The loop's thread only.
 */
final class TransactionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionWriter.class);
    /** A journal record stays under the producer's batch size with room for the batch's own overhead. */
    static final int JOURNAL_RECORD_BYTES = 192 * 1024;

    private static final byte[] JOURNAL_FORMAT = JournalBatch.FORMAT.getBytes(StandardCharsets.UTF_8);

    private final Producer<String, byte[]> producer;
    /**
     * Per owned input partition, the first offset not committed yet. With the open transaction's offsets over it, what
     * a snapshot written at its commit holds, so that a takeover decides again only the journaled inputs after it.
     */
    private final Map<TopicPartition, Long> committedTo = new HashMap<>();
    /** Per owned partition, the journal's end as of the last commit: every input since then is journaled after it. */
    private final Map<Integer, Long> journalEnds = new HashMap<>();

    TransactionWriter(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** Journals the transaction's inputs and writes its marked snapshots; call before its commit. */
    void writeBeforeCommit(OpenTransaction tx) {
        tx.journal.forEach((partition, entries) -> tx.journaled.put(partition, journal(partition, entries)));
        snapshot(tx);
    }

    /** The transaction committed: its journal ends and offsets are where committed input stands now. */
    void committed(OpenTransaction tx) {
        tx.journaled.forEach((partition, last) -> endAfter(last).ifPresent(end -> journalEnds.put(partition, end)));
        tx.offsets.forEach((partition, offset) -> committedTo.put(partition, offset.offset()));
    }

    /** Where a newly assigned partition's committed input ends. */
    void committedInput(TopicPartition partition, long offset) {
        committedTo.put(partition, offset);
    }

    /** Where the journals of newly restored partitions end. */
    void journalEnds(Map<Integer, Long> ends) {
        journalEnds.putAll(ends);
    }

    /** Forgets what it kept of partitions this instance no longer owns. */
    void forget(Collection<TopicPartition> partitions, Set<Integer> owned) {
        partitions.forEach(committedTo::remove);
        journalEnds.keySet().removeIf(p -> !owned.contains(p));
    }

    /** The inputs taken from one partition in this transaction, as journal records on the same partition; the last one's send. */
    private Future<RecordMetadata> journal(int partition, List<JournalBatch.Entry> entries) {
        Future<RecordMetadata> last = null;
        for (byte[] value : JournalBatch.encode(entries, JOURNAL_RECORD_BYTES)) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(TopicFamily.COORDINATOR_JOURNAL.topic(), partition, null, value);
            record.headers().add(JournalBatch.FORMAT_HEADER, JOURNAL_FORMAT);
            last = producer.send(record);
        }
        return last;
    }

    /** Writes the snapshots the transaction marked: each group's state as the transaction leaves it, with its position. */
    private void snapshot(OpenTransaction tx) {
        Map<Integer, SnapshotPosition> positions = new HashMap<>();
        for (GroupSlot slot : tx.marked) {
            SnapshotPosition position = positions.computeIfAbsent(slot.partition, p -> positionOf(tx, p));
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    TopicFamily.COORDINATOR_SNAPSHOTS.topic(), slot.group, StateCodec.encode(slot.state));
            position.addTo(record.headers());
            producer.send(record);
        }
    }

    /**
     * Where the states of a partition's groups stand as the transaction commits: the inputs decided (its offsets, or
     * the last commit's where it read nothing), and the journal as of the last commit.
     */
    private SnapshotPosition positionOf(OpenTransaction tx, int partition) {
        Map<String, Long> inputsFrom = new LinkedHashMap<>();
        for (String topic : CoordinatorClients.INPUTS) {
            TopicPartition input = new TopicPartition(topic, partition);
            OffsetAndMetadata decided = tx.offsets.get(input);
            inputsFrom.put(topic, decided != null ? decided.offset() : committedTo.getOrDefault(input, 0L));
        }
        return new SnapshotPosition(journalEnds.getOrDefault(partition, 0L), inputsFrom);
    }

    /**
     * The offset after a committed journal record: its transaction committed, so its send is complete. Empty if it
     * cannot be read, and the partition's journal end stays where it was: an earlier end only makes a takeover read
     * more of the journal, where throwing here, after the commit, would abort a committed transaction.
     */
    private static OptionalLong endAfter(Future<RecordMetadata> send) {
        try {
            return OptionalLong.of(send.get(0, TimeUnit.MILLISECONDS).offset() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn(
                    "the end of a committed journal record is unknown ({}); the journal end stays where it was",
                    e.getMessage());
        }
        return OptionalLong.empty();
    }
}

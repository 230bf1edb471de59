package io.drplane.coordinator.kafka;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where a group's snapshot stands in its partition's input, carried in the snapshot record's headers: which inputs
 * its state already holds, and where in the journal the inputs after them begin. A takeover restores the snapshot and
 * decides again, in journal order, every journaled input the snapshot does not hold, so the new owner has the state
 * the last one committed and not only the state it last snapshotted.
 *
 * @param journalFrom the journal offset (of the group's partition) from which the inputs not in the state are found;
 *                    every journal record before it holds only inputs the state has
 * @param inputsFrom  per input topic, the first offset (of the group's partition) the state has not decided; inputs
 *                    of a topic not named are all after it
 */
public record SnapshotPosition(long journalFrom, Map<String, Long> inputsFrom) {

    static final String JOURNAL_FROM_HEADER = "dr.snapshot.journal-from";
    static final String INPUTS_FROM_HEADER = "dr.snapshot.inputs-from";

    public SnapshotPosition {
        inputsFrom = Map.copyOf(inputsFrom);
    }

    /** Whether the snapshot's state has not decided this input yet. */
    public boolean lacks(String topic, long offset) {
        return offset >= inputsFrom.getOrDefault(topic, 0L);
    }

    void addTo(Headers headers) {
        headers.add(JOURNAL_FROM_HEADER, Long.toString(journalFrom).getBytes(StandardCharsets.US_ASCII));
        headers.add(INPUTS_FROM_HEADER, inputsHeader(inputsFrom));
    }

    /** The inputs header's value: {@code topic=offset,topic=offset}. */
    static byte[] inputsHeader(Map<String, Long> inputsFrom) {
        StringBuilder text = new StringBuilder();
        inputsFrom.forEach((topic, offset) -> text.append(text.length() == 0 ? "" : ",")
                .append(topic)
                .append('=')
                .append(offset));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The position in a snapshot record's headers; empty for a snapshot written before positions were recorded (it is
     * restored as it is, with nothing replayed after it).
     *
     * @throws IllegalArgumentException when the headers are there but unreadable
     */
    static Optional<SnapshotPosition> of(Headers headers) {
        Header journal = headers.lastHeader(JOURNAL_FROM_HEADER);
        Header inputs = headers.lastHeader(INPUTS_FROM_HEADER);
        if (journal == null || inputs == null) {
            return Optional.empty();
        }
        String journalText = new String(journal.value(), StandardCharsets.UTF_8);
        String inputsText = new String(inputs.value(), StandardCharsets.UTF_8);
        try {
            Map<String, Long> inputsFrom = new LinkedHashMap<>();
            for (String pair : inputsText.isEmpty() ? new String[0] : inputsText.split(",")) {
                int equals = pair.lastIndexOf('=');
                inputsFrom.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
            }
            return Optional.of(new SnapshotPosition(Long.parseLong(journalText), inputsFrom));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "unreadable snapshot position: " + JOURNAL_FROM_HEADER + "=\"" + journalText + "\", "
                            + INPUTS_FROM_HEADER + "=\"" + inputsText
                            + "\" (expected a journal offset, and topic=offset pairs separated by commas): "
                            + e.getMessage(),
                    e);
        }
    }
}

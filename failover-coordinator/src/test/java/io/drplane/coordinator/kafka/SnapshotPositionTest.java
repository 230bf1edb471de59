package io.drplane.coordinator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class SnapshotPositionTest {

    @Test
    void shouldReadBackThePositionItWroteIntoARecordsHeaders() {
        Map<String, Long> inputsFrom = new LinkedHashMap<>();
        inputsFrom.put("dr.health.v1", 1200L);
        inputsFrom.put("dr.ticks.v1", 0L);
        RecordHeaders headers = new RecordHeaders();
        new SnapshotPosition(345, inputsFrom).addTo(headers);

        assertThat(SnapshotPosition.of(headers)).contains(new SnapshotPosition(345, inputsFrom));
    }

    @Test
    void shouldLackOnlyTheInputsFromItsOffsetOnAndEveryInputOfATopicItDoesNotName() {
        SnapshotPosition position = new SnapshotPosition(0, Map.of("dr.health.v1", 1200L));

        assertThat(position.lacks("dr.health.v1", 1199)).isFalse();
        assertThat(position.lacks("dr.health.v1", 1200)).isTrue();
        assertThat(position.lacks("dr.operator.v1", 0))
                .as("a topic it does not name")
                .isTrue();
    }

    @Test
    void shouldHaveNoPositionForASnapshotWrittenWithoutOne() {
        assertThat(SnapshotPosition.of(new RecordHeaders())).isEmpty();
    }

    @Test
    void shouldNameTheHeadersAndWhatIsAllowedWhenAPositionIsUnreadable() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SnapshotPosition.JOURNAL_FROM_HEADER, "12".getBytes(StandardCharsets.UTF_8));
        headers.add(SnapshotPosition.INPUTS_FROM_HEADER, "dr.health.v1:9".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> SnapshotPosition.of(headers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dr.snapshot.inputs-from=\"dr.health.v1:9\"")
                .hasMessageContaining("topic=offset pairs separated by commas");
    }
}

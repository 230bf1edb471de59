package io.drplane.coordinator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalBatchTest {

    @Test
    void shouldKeepEveryInputInOrderWithWhereItCameFrom() {
        List<JournalBatch.Entry> entries = List.of(
                new JournalBatch.Entry("dr.health.v1", 41, "shop", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                new JournalBatch.Entry("dr.coordinator.ticks.v1", 7, null, new byte[0]),
                new JournalBatch.Entry("dr.operator.v1", 3, "shop", "{\"b\":\"é\"}".getBytes(StandardCharsets.UTF_8)));

        List<JournalBatch.Entry> read = JournalBatch.decode(JournalBatch.encode(entries));

        assertThat(read).hasSize(3);
        assertThat(read).extracting(JournalBatch.Entry::topic).containsExactly("dr.health.v1", "dr.coordinator.ticks.v1", "dr.operator.v1");
        assertThat(read).extracting(JournalBatch.Entry::offset).containsExactly(41L, 7L, 3L);
        assertThat(read).extracting(JournalBatch.Entry::key).containsExactly("shop", null, "shop");
        assertThat(read.get(2).value()).isEqualTo(entries.get(2).value());
        assertThat(read.get(1).value()).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownVersion() {
        byte[] record = JournalBatch.encode(List.of());
        record[0] = 9;
        assertThatThrownBy(() -> JournalBatch.decode(record)).hasMessage("journal batch version 9 is not known (expected 1)");
    }
}

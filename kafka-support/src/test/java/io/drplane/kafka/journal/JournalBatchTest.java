package io.drplane.kafka.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalBatchTest {

    @Test
    void shouldKeepEveryInputInOrderWithWhereItCameFrom() {
        List<JournalBatch.Entry> entries = List.of(
                new JournalBatch.Entry(
                        "dr.health.v1",
                        41,
                        1_700_000_000_000L + 41 % 1000,
                        "shop",
                        "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                new JournalBatch.Entry("dr.coordinator.ticks.v1", 7, 1_700_000_000_000L + 7 % 1000, null, new byte[0]),
                new JournalBatch.Entry(
                        "dr.operator.v1",
                        3,
                        1_700_000_000_000L + 3 % 1000,
                        "shop",
                        "{\"b\":\"é\"}".getBytes(StandardCharsets.UTF_8)));

        List<JournalBatch.Entry> read = JournalBatch.decode(JournalBatch.encode(entries));

        assertThat(read).hasSize(3);
        assertThat(read)
                .extracting(JournalBatch.Entry::topic)
                .containsExactly("dr.health.v1", "dr.coordinator.ticks.v1", "dr.operator.v1");
        assertThat(read).extracting(JournalBatch.Entry::offset).containsExactly(41L, 7L, 3L);
        assertThat(read)
                .extracting(JournalBatch.Entry::arrivedAtMillis)
                .containsExactly(1_700_000_000_041L, 1_700_000_000_007L, 1_700_000_000_003L);
        assertThat(read).extracting(JournalBatch.Entry::key).containsExactly("shop", null, "shop");
        assertThat(read.get(2).value()).isEqualTo(entries.get(2).value());
        assertThat(read.get(1).value()).isEmpty();
    }

    /** Journals written before the exact-size encoder (with DataOutputStream) must read the same, and so must new ones. */
    @Test
    void shouldWriteTheSameBytesAsTheStreamLayoutItDocuments() throws IOException {
        List<JournalBatch.Entry> entries = List.of(
                new JournalBatch.Entry(
                        "dr.health.v1",
                        41,
                        1_700_000_000_000L + 41 % 1000,
                        "shop-é",
                        "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                new JournalBatch.Entry(
                        "dr.coordinator.ticks.v1",
                        Long.MAX_VALUE,
                        1_700_000_000_000L + Long.MAX_VALUE % 1000,
                        null,
                        new byte[0]));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(expected)) {
            out.writeByte(2);
            out.writeInt(entries.size());
            for (JournalBatch.Entry e : entries) {
                out.writeUTF(e.topic());
                out.writeLong(e.offset());
                out.writeLong(e.arrivedAtMillis());
                byte[] key = e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8);
                out.writeInt(key == null ? -1 : key.length);
                if (key != null) {
                    out.write(key);
                }
                out.writeInt(e.value().length);
                out.write(e.value());
            }
        }

        assertThat(JournalBatch.encode(entries)).isEqualTo(expected.toByteArray());
    }

    @Test
    void shouldSplitALargeTransactionIntoRecordsUnderTheLimitKeepingTheOrder() {
        List<JournalBatch.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            entries.add(new JournalBatch.Entry(
                    "dr.health.v1", i, 1_700_000_000_000L + i % 1000, "group-" + i % 7, new byte[100 + i % 50]));
        }
        entries.add(
                500,
                new JournalBatch.Entry(
                        "dr.health.v1", 10_000, 1_700_000_000_000L + 10_000 % 1000, "big", new byte[20_000]));

        List<byte[]> records = JournalBatch.encode(entries, 8_192);

        assertThat(records).hasSizeGreaterThan(10);
        assertThat(records)
                .filteredOn(r -> r.length > 8_192)
                .singleElement()
                .as("an entry over the limit goes alone")
                .satisfies(r -> assertThat(JournalBatch.decode(r)).hasSize(1));
        List<Long> offsets = records.stream()
                .flatMap(r -> JournalBatch.decode(r).stream())
                .map(JournalBatch.Entry::offset)
                .toList();
        assertThat(offsets)
                .isEqualTo(entries.stream().map(JournalBatch.Entry::offset).toList());
        assertThat(JournalBatch.encode(entries.subList(0, 3), 8_192))
                .singleElement()
                .isEqualTo(JournalBatch.encode(entries.subList(0, 3)));
    }

    @Test
    void shouldRefuseATopicNameThatIsNotAKafkaTopicName() {
        List<JournalBatch.Entry> entries =
                List.of(new JournalBatch.Entry("dr.health.é", 1, 1_700_000_000_000L + 1 % 1000, "shop", new byte[0]));
        assertThatThrownBy(() -> JournalBatch.encode(entries))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topic name 'dr.health.é' is not a Kafka topic name (ASCII only)");
    }

    @Test
    void shouldRefuseAnUnknownVersion() {
        byte[] record = JournalBatch.encode(List.of());
        record[0] = 9;
        assertThatThrownBy(() -> JournalBatch.decode(record))
                .hasMessage("journal batch version 9 is not known (expected 1 or 2)");
    }

    @Test
    void shouldReadAVersionOneRecordWithoutArrivalTimes() throws Exception {
        // As a coordinator wrote it before arrival times were journaled: version 1, no arrival time per entry.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(1);
            out.writeUTF("dr.health.v1");
            out.writeLong(41);
            out.writeInt(4);
            out.write("shop".getBytes(StandardCharsets.UTF_8));
            out.writeInt(2);
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(JournalBatch.decode(bytes.toByteArray())).singleElement().satisfies(e -> {
            assertThat(e.topic()).isEqualTo("dr.health.v1");
            assertThat(e.offset()).isEqualTo(41);
            assertThat(e.arrivedAtMillis()).isEqualTo(JournalBatch.ARRIVAL_UNKNOWN);
            assertThat(e.key()).isEqualTo("shop");
            assertThat(new String(e.value(), StandardCharsets.UTF_8)).isEqualTo("{}");
        });
    }
}

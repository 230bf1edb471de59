package io.drplane.coordinator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.events.CoordinatorTicked;
import io.drplane.events.Event;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.EventSerializer;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** The tick writer on the real broker: one partition per run, in turn, only the owned ones. */
class TickWriterIT {

    private final String instance = "ticks-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Instant START = Instant.parse("2026-11-22T08:00:00Z");
    /** A second later at every reading, so each tick's time tells the order the runs wrote them in. */
    private final Clock clock = new Clock() {
        private int readings;

        @Override
        public Instant instant() {
            return START.plusSeconds(readings++);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void shouldTickOnePartitionPerRunInTurnSoAnIntervalTicksEachOwnedPartitionOnce() throws Exception {
        provisionTopics();
        Set<Integer> owned = Set.of(2, 3, 7, 11);
        List<CoordinatorTicked> ticks = new ArrayList<>();
        try (TickWriter writer = new TickWriter(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                        () -> owned,
                        clock,
                        instance);
                KafkaConsumer<String, byte[]> topic = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.TICKS.topic())) {
            // Two intervals' worth of runs: each owned partition is ticked once per interval, the others never.
            for (int run = 0; run < 2 * TopicFamily.GROUP_PARTITIONS; run++) {
                writer.run();
                if (run == TopicFamily.GROUP_PARTITIONS - 1) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> read(topic, ticks) == owned.size());
                    assertThat(inWrittenOrder(ticks))
                            .as("one run per partition, in partition order")
                            .containsExactly(2, 3, 7, 11);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> read(topic, ticks) == 2 * owned.size());
        }
        assertThat(inWrittenOrder(ticks)).containsExactly(2, 3, 7, 11, 2, 3, 7, 11);
        assertThat(ticks)
                .extracting(CoordinatorTicked::at)
                .as("the clock is read for an owned partition only")
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 8).mapToObj(START::plusSeconds).toList());
    }

    @Test
    void shouldRunTwelveTimesAnInterval() {
        assertThat(TickWriter.slot(Duration.ofSeconds(1))).isEqualTo(Duration.ofNanos(83_333_333));
        assertThat(TickWriter.slot(Duration.ofMillis(240))).isEqualTo(Duration.ofMillis(20));
        assertThat(TickWriter.slot(Duration.ofNanos(5)))
                .as("never a zero period")
                .isEqualTo(Duration.ofNanos(1));
    }

    /** The ticks' partitions in the order they were written (a consumer reads partitions in any order). */
    private static List<Integer> inWrittenOrder(List<CoordinatorTicked> ticks) {
        return ticks.stream()
                .sorted(Comparator.comparing(CoordinatorTicked::at))
                .map(CoordinatorTicked::partition)
                .toList();
    }

    /** Adds this instance's ticks on the topic to {@code ticks}; returns how many there are now. */
    private int read(KafkaConsumer<String, byte[]> topic, List<CoordinatorTicked> ticks) throws Exception {
        for (ConsumerRecord<String, byte[]> r : topic.poll(Duration.ofMillis(100))) {
            Event<?> event = EventCodec.instance().decode(r.value());
            if (event.data() instanceof CoordinatorTicked tick
                    && tick.instance().equals(instance)) {
                // A CloudEvent in Kafka's structured binding, like every other record drplane writes.
                assertThat(r.headers().lastHeader(EventSerializer.CONTENT_TYPE_HEADER))
                        .isNotNull()
                        .extracting(h -> new String(h.value(), StandardCharsets.UTF_8))
                        .isEqualTo("application/cloudevents+json; charset=UTF-8");
                ticks.add(tick);
            }
        }
        return ticks.size();
    }

    private static void provisionTopics() throws Exception {
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
    }

    @Test
    void shouldSayWhenTicksCannotBeWritten() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once closed
        }
        long[] nanos = {0};
        try (TickWriter writer = new TickWriter(
                KafkaClientConfig.plaintext("127.0.0.1:" + closedPort),
                () -> Set.of(0),
                Clock.systemUTC(),
                "no-broker",
                () -> nanos[0])) {
            assertThat(writer.problem(Duration.ofSeconds(5)))
                    .as("nothing due yet")
                    .isEmpty();

            writer.run(); // partition 0: its send cannot reach a broker
            nanos[0] = Duration.ofSeconds(10).toNanos();

            await().atMost(Duration.ofSeconds(30)).until(() -> writer.problem(Duration.ofSeconds(5))
                    .filter(why -> why.contains("1 failed"))
                    .isPresent());
            assertThat(writer.problem(Duration.ofSeconds(5)).orElseThrow())
                    .startsWith("no tick written for 10 s (1 failed, last: ")
                    .endsWith("): timeouts of the groups this instance owns are stalled");
            assertThat(writer.problem(Duration.ofSeconds(15)))
                    .as("within the bound")
                    .isEmpty();
        }
    }
}

package io.drplane.replicationtracker.rpo;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.ReasonCode;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoRestored;
import io.drplane.replicationtracker.measure.LagReading;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RpoWatchTest {

    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private final RpoWatch watch = new RpoWatch("shop", "orders-db", Duration.ofSeconds(60));

    @Test
    void shouldBreachOverTheRpoWithReasonAndSentence() {
        var event = watch.observe(LagReading.measured(75_000, null, null), T);

        assertThat(event).get().isInstanceOfSatisfying(RpoBreached.class, b -> {
            assertThat(b.reason().code()).isEqualTo(ReasonCode.RPO_BREACHED);
            assertThat(b.reason().message()).isEqualTo("orders-db is 75000 ms behind, over the 60000 ms RPO.");
            assertThat(b.observedMillis()).isEqualTo(75_000);
        });
    }

    @Test
    void shouldNotFlapWhileTheLagHoversAtTheLine() {
        assertThat(watch.observe(LagReading.measured(61_000, null, null), T)).isPresent();
        assertThat(watch.observe(LagReading.measured(59_000, null, null), T))
                .as("under the RPO, above 80%")
                .isEmpty();
        assertThat(watch.observe(LagReading.measured(62_000, null, null), T))
                .as("already breached")
                .isEmpty();
        assertThat(watch.observe(LagReading.measured(50_000, null, null), T)).isEmpty();

        var restored = watch.observe(LagReading.measured(48_000, null, null), T);
        assertThat(restored).get().isInstanceOfSatisfying(RpoRestored.class, r -> {
            assertThat(r.reason().code()).isEqualTo(ReasonCode.RPO_RESTORED);
            assertThat(r.reason().message())
                    .isEqualTo("orders-db is 48000 ms behind, back under 80% of the 60000 ms RPO.");
        });
    }

    @Test
    void shouldBreachOnALowerBoundButRestoreOnlyOnAMeasurement() {
        assertThat(watch.observe(LagReading.atLeast(90_000, "primary silent"), T))
                .get()
                .isInstanceOfSatisfying(
                        RpoBreached.class, b -> assertThat(b.reason().message()).contains("at least 90000 ms"));
        assertThat(watch.observe(LagReading.atLeast(1_000, "primary silent"), T))
                .isEmpty();
        assertThat(watch.observe(LagReading.unknown("replica silent"), T)).isEmpty();
        assertThat(watch.breached()).isTrue();
    }

    @Test
    void shouldTreatAnUnknownLagAsNeitherBreachNorRecovery() {
        assertThat(watch.observe(LagReading.unknown("replica silent"), T)).isEmpty();
        assertThat(watch.breached()).isFalse();
    }

    @Test
    void shouldSayABreachAgainWhenItCouldNotBePublished() {
        var breach = watch.observe(LagReading.measured(75_000, null, null), T).orElseThrow();
        assertThat(watch.observe(LagReading.measured(76_000, null, null), T))
                .as("already said")
                .isEmpty();

        watch.notPublished(breach);

        assertThat(watch.observe(LagReading.measured(77_000, null, null), T))
                .as("said again with the next reading over the line")
                .get()
                .isInstanceOf(RpoBreached.class);
    }

    @Test
    void shouldSayARecoveryAgainWhenItCouldNotBePublished() {
        watch.observe(LagReading.measured(75_000, null, null), T);
        var restored = watch.observe(LagReading.measured(1_000, null, null), T).orElseThrow();

        watch.notPublished(restored);

        assertThat(watch.observe(LagReading.measured(1_000, null, null), T))
                .get()
                .isInstanceOf(RpoRestored.class);
    }
}

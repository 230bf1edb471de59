package io.drplane.backupscheduler.rpo;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.GroupEvent;
import io.drplane.events.ReasonCode;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoRestored;
import io.drplane.events.RpoScope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A rule's recovery points against the RPO in one region, on a clock the test sets. */
class RecoveryPointAgeTest {

    private static final Instant T0 = Instant.parse("2026-12-05T05:00:00Z");
    private static final Duration RPO = Duration.ofHours(24);

    private final RecoveryPointAge copies = new RecoveryPointAge("shop", "daily", "us-west-2", RPO);

    @Test
    void shouldBreachWhenTheNewestPointGetsOlderThanTheRpoAndRestoreWithHysteresis() {
        Optional<Instant> newest = Optional.of(T0);
        assertThat(copies.evaluate(newest, T0, T0.plus(Duration.ofHours(24)))).isEmpty();

        GroupEvent breach =
                copies.evaluate(newest, T0, T0.plus(Duration.ofHours(25))).orElseThrow();
        assertThat(breach).isInstanceOfSatisfying(RpoBreached.class, b -> {
            assertThat(b.scope()).isEqualTo(RpoScope.BACKUP_RULE);
            assertThat(b.name()).isEqualTo("daily@us-west-2");
            assertThat(b.observedMillis()).isEqualTo(Duration.ofHours(25).toMillis());
            assertThat(b.reason().code()).isEqualTo(ReasonCode.RPO_BREACHED);
            assertThat(b.reason().message())
                    .isEqualTo("the newest recovery point of daily@us-west-2 is 25h old, over the 1d RPO.");
        });
        assertThat(copies.evaluate(newest, T0, T0.plus(Duration.ofHours(26))))
                .as("said once")
                .isEmpty();

        // a copy arrives whose source is 20 hours old: over 80% of the RPO, still breached
        assertThat(copies.evaluate(Optional.of(T0.plus(Duration.ofHours(6))), T0, T0.plus(Duration.ofHours(26))))
                .isEmpty();
        GroupEvent restored = copies.evaluate(
                        Optional.of(T0.plus(Duration.ofHours(25))), T0, T0.plus(Duration.ofHours(26)))
                .orElseThrow();
        assertThat(restored).isInstanceOfSatisfying(RpoRestored.class, r -> {
            assertThat(r.reason().code()).isEqualTo(ReasonCode.RPO_RESTORED);
            assertThat(r.observedMillis()).isEqualTo(Duration.ofHours(1).toMillis());
        });
        assertThat(copies.breached()).isFalse();
    }

    @Test
    void shouldBreachWhenNoPointExistsAnRpoAfterTheRuleBegan() {
        assertThat(copies.evaluate(Optional.empty(), T0, T0.plus(Duration.ofHours(23))))
                .isEmpty();
        assertThat(copies.evaluate(Optional.empty(), T0, T0.plus(Duration.ofHours(25))))
                .get()
                .extracting(e -> ((RpoBreached) e).reason().message())
                .isEqualTo("daily@us-west-2 has no recovery point 25h after its rule began, over the 1d RPO.");
    }
}

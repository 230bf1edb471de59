package io.drplane.replicationtracker.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeartbeatHistoryTest {

    @Test
    void shouldReadZeroWhenTheNewestBeatIsReplayed() {
        HeartbeatHistory history = new HeartbeatHistory();
        history.written(1, 10_000);
        history.written(2, 11_000);

        assertThat(history.lagMillis(11_400, 2, 11_000)).isZero();
    }

    @Test
    void shouldBoundTheLagFromAboveByTheReplayedBeatsAge() {
        HeartbeatHistory history = new HeartbeatHistory();
        history.written(1, 10_000);
        history.written(2, 11_000);
        history.written(3, 12_000);

        assertThat(history.lagMillis(12_500, 1, 10_000))
                .as("has everything before 10.0 s, lacks beat 2")
                .isEqualTo(2_500);
    }

    @Test
    void shouldUseTheReplayedBeatsAgeWithoutHistory() {
        assertThat(new HeartbeatHistory().lagMillis(15_000, 7, 11_000)).isEqualTo(4_000);
    }

    @Test
    void shouldKeepSequenceNumbersRisingAcrossRestarts() {
        HeartbeatHistory history = new HeartbeatHistory();
        assertThat(history.nextSeq(1_700_000_000_000L)).isEqualTo(1_700_000_000_000L);
        history.written(1_700_000_000_000L, 1_700_000_000_000L);
        assertThat(history.nextSeq(1_700_000_005_000L)).isEqualTo(1_700_000_000_001L);
    }
}

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
    void shouldMeasureFromTheFirstBeatTheReplicaMisses() {
        HeartbeatHistory history = new HeartbeatHistory();
        history.written(1, 10_000);
        history.written(2, 11_000);
        history.written(3, 12_000);

        assertThat(history.lagMillis(12_500, 1, 10_000)).as("misses beat 2, written at 11.0 s").isEqualTo(1_500);
    }

    @Test
    void shouldFallBackToTheReplayedBeatsAgeWithoutHistory() {
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

package io.drplane.coordinator.decider;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.state.GroupState;
import io.drplane.coordinator.state.StateCodec;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    @Test
    void shouldRoundTripAStateMidFailover() {
        Scenario s = Scenario.warmStandby("automatic").healthy().lag(100).rounds(3, false, true);
        assertThat(s.state.failover()).isNotNull();

        GroupState decoded = StateCodec.decode(StateCodec.encode(s.state));

        assertThat(decoded).isEqualTo(s.state);
    }

    @Test
    void shouldDecideTheSameFromARestoredState() {
        Scenario live = Scenario.warmStandby("automatic").healthy().lag(100).rounds(2, false, true);
        Scenario restored = Scenario.warmStandby("automatic");
        restored.state = StateCodec.decode(StateCodec.encode(live.state));
        restored.now = live.now;
        live.clear();

        live.round(false, true);
        restored.round(false, true);

        assertThat(restored.emitted).isEqualTo(live.emitted).isNotEmpty();
    }
}

package io.drplane.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireNameTest {

    @Test
    void shouldWriteConstantsInLowerCaseWithHyphens() {
        assertThat(WireName.of(Strategy.WARM_STANDBY)).isEqualTo("warm-standby");
        assertThat(WireName.of("PLANNED_SWITCHOVER")).isEqualTo("planned-switchover");
        assertThat(WireName.of(Mode.OBSERVE)).isEqualTo("observe");
    }
}

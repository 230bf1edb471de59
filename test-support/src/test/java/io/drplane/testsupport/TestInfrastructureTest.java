package io.drplane.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestInfrastructureTest {

    @Test
    void shouldDefaultToInProcessAndAcceptContainers() {
        assertThat(TestInfrastructure.parse("in-process")).isEqualTo(TestInfrastructure.IN_PROCESS);
        assertThat(TestInfrastructure.parse("")).isEqualTo(TestInfrastructure.IN_PROCESS);
        assertThat(TestInfrastructure.parse(" Containers ")).isEqualTo(TestInfrastructure.CONTAINERS);
    }

    @Test
    void shouldNameTheAllowedValuesOfABadSelector() {
        assertThatThrownBy(() -> TestInfrastructure.parse("kubernetes"))
                .hasMessage("DRPLANE_TEST_INFRA='kubernetes' is not one of: in-process (default), containers");
    }
}

package io.drplane.healthmonitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VantagePointTest {

    private final Plan plan = PlanLoader.load(Path.of("..", "examples", "two-region-shop.yml"));

    @Test
    void shouldAcceptAVantagePointOfThePlan() {
        assertThat(VantagePoint.problem(plan, "eu-west-1a")).isEmpty();
    }

    @Test
    void shouldRefuseAnInstanceThePlanDoesNotList() {
        assertThat(VantagePoint.problem(plan, "laptop"))
                .contains(
                        "DRPLANE_INSTANCE='laptop' is not a vantage point of the plan; expected one of: us-east-2a, eu-west-1a, office-fra");
    }
}

package io.drplane.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExecutorRegionTest {

    private final Plan plan = PlanLoader.load(Path.of("..", "examples", "two-region-shop.yml"));

    @Test
    void shouldAcceptARegionOfThePlan() {
        assertThat(ExecutorRegion.problem(plan, "us-west-2")).isEmpty();
    }

    @Test
    void shouldRefuseARegionThePlanDoesNotHave() {
        assertThat(ExecutorRegion.problem(plan, "eu-central-1"))
                .contains(
                        "DRPLANE_REGION='eu-central-1' is not a region of the plan; expected one of: us-east-1, us-west-2");
    }
}

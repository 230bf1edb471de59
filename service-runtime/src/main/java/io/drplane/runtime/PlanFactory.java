package io.drplane.runtime;

import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and validates the plan file when the service starts ({@code DRPLANE_PLAN}). A bad plan stops the
 * start-up with every error, each naming the path in the file, the value and what is allowed.
 */
@Factory
public class PlanFactory {

    private static final Logger LOG = LoggerFactory.getLogger(PlanFactory.class);

    @Context
    public Plan plan(@Value("${drplane.plan}") String path) {
        Plan plan = PlanLoader.load(Path.of(path));
        LOG.info(
                "plan {} loaded: {} group(s), regions {}, vantage points {}",
                path,
                plan.groups().size(),
                plan.regions(),
                plan.vantagePoints());
        return plan;
    }
}

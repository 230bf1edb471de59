package io.drplane.healthmonitor;

import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.runtime.ServiceIdentity;
import io.micronaut.context.annotation.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This health monitor's vantage point: its instance name, which must be one of the plan's vantage points.
 * The coordinator counts votes only from the vantage points the plan lists, so a monitor under another name
 * would probe for nothing: it refuses to start instead.
 */
@Context
public class VantagePoint {

    private static final Logger LOG = LoggerFactory.getLogger(VantagePoint.class);

    private final String name;

    public VantagePoint(Plan plan, ServiceIdentity identity) {
        problem(plan, identity.getInstance()).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        this.name = identity.getInstance();
        int targets = plan.groups().stream().mapToInt(VantagePoint::targetCount).sum();
        LOG.info(
                "vantage point {}: {} health target(s) in {} group(s)",
                name,
                targets,
                plan.groups().size());
    }

    public String name() {
        return name;
    }

    static Optional<String> problem(Plan plan, String instance) {
        if (plan.vantagePoints().contains(instance)) {
            return Optional.empty();
        }
        return Optional.of("DRPLANE_INSTANCE='" + instance + "' is not a vantage point of the plan; expected one of: "
                + String.join(", ", plan.vantagePoints()));
    }

    private static int targetCount(Group group) {
        return group.regions().stream().mapToInt(r -> r.targets().size()).sum();
    }
}

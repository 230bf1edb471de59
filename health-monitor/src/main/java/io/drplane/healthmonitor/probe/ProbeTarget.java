package io.drplane.healthmonitor.probe;

import io.drplane.plan.HealthTarget;

/** One health target of the plan with the group and region it belongs to. */
public record ProbeTarget(String group, String region, HealthTarget target) {

    /** A stable name for logs and metrics: group/region/target. */
    public String key() {
        return group + "/" + region + "/" + target.name();
    }
}

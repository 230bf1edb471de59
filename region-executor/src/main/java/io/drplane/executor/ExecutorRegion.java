package io.drplane.executor;

import io.drplane.events.TopicFamily;
import io.drplane.plan.Plan;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one region this executor acts in ({@code DRPLANE_REGION}), which must be a region of the plan, and how it
 * reaches AWS there: the real endpoints, an emulator ({@code DRPLANE_AWS_ENDPOINT}), or dry run.
 */
@Context
public class ExecutorRegion {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRegion.class);

    private final String region;
    private final String awsEndpoint;
    private final boolean dryRun;

    public ExecutorRegion(
            Plan plan,
            @Value("${drplane.region}") String region,
            @Nullable @Value("${drplane.aws.endpoint:}") String awsEndpoint,
            @Value("${drplane.dry-run:false}") boolean dryRun) {
        problem(plan, region).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        this.region = region;
        this.awsEndpoint = awsEndpoint == null || awsEndpoint.isBlank() ? null : awsEndpoint;
        this.dryRun = dryRun;
        LOG.info(
                "executor for {} reads {}; AWS: {}",
                region,
                TopicFamily.COMMANDS.topic(region),
                dryRun
                        ? "dry run (describe calls only, nothing is changed)"
                        : this.awsEndpoint == null
                                ? "the region's real endpoints"
                                : "endpoint override " + this.awsEndpoint);
    }

    public String region() {
        return region;
    }

    public Optional<String> awsEndpoint() {
        return Optional.ofNullable(awsEndpoint);
    }

    public boolean dryRun() {
        return dryRun;
    }

    static Optional<String> problem(Plan plan, String region) {
        if (plan.regions().contains(region)) {
            return Optional.empty();
        }
        return Optional.of("DRPLANE_REGION='" + region + "' is not a region of the plan; expected one of: "
                + String.join(", ", plan.regions()));
    }
}

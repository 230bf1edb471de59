package io.drplane.executor.action;

import io.drplane.aws.AwsCalls;
import io.drplane.aws.AwsService;
import io.drplane.events.SetCapacity;
import java.util.Map;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;

/**
 * Raises an Auto Scaling group to the failover capacity and waits (bounded by the command's timeout) until enough
 * instances are InService and healthy. A failover only ever raises: a group already larger than asked keeps its size,
 * since a failover is no time to take capacity away. Re-protect's scale-down ({@link SetCapacity#lowers()}) sets the
 * sizes exactly: the old primary's region goes back to its standby size.
 */
public final class CapacityScaler {

    private final AutoScalingClient autoScaling;
    private final AwsCalls calls;
    private final Waiting waiting;

    CapacityScaler(AutoScalingClient autoScaling, AwsCalls calls, Waiting waiting) {
        this.autoScaling = autoScaling;
        this.calls = calls;
        this.waiting = waiting;
    }

    Outcome scale(SetCapacity command, CommandContext context) {
        String name = command.autoScalingGroupName();
        AutoScalingGroup group = group(name, context);
        boolean exact = command.lowers();
        int min = exact ? command.minSize() : Math.max(group.minSize(), command.minSize());
        int max = exact
                ? Math.max(command.maxSize(), command.desiredCapacity())
                : Math.max(group.maxSize(), Math.max(command.maxSize(), command.desiredCapacity()));
        int desired = exact ? command.desiredCapacity() : Math.max(group.desiredCapacity(), command.desiredCapacity());
        long inService = inService(group);
        Map<String, String> before = Map.of(
                "autoScalingGroup",
                name,
                "min",
                Integer.toString(group.minSize()),
                "desired",
                Integer.toString(group.desiredCapacity()),
                "max",
                Integer.toString(group.maxSize()),
                "inService",
                Long.toString(inService));
        boolean sized = min == group.minSize() && max == group.maxSize() && desired == group.desiredCapacity();
        if (sized && inService >= command.minInService()) {
            return Outcome.already(
                    "Auto Scaling group " + name + " already has min " + group.minSize() + ", desired "
                            + group.desiredCapacity() + ", max " + group.maxSize() + " and " + inService
                            + " instances in service.",
                    before);
        }
        if (context.dryRun()) {
            return Outcome.wouldChange(
                    "Would set Auto Scaling group " + name + " from min/desired/max " + group.minSize() + "/"
                            + group.desiredCapacity() + "/" + group.maxSize() + " to " + min + "/" + desired + "/" + max
                            + " and wait for "
                            + command.minInService() + " in service (now " + inService + ").",
                    before);
        }
        if (!sized) {
            calls.call(
                    AwsService.AUTO_SCALING,
                    "UpdateAutoScalingGroup",
                    context.attempts(),
                    () -> autoScaling.updateAutoScalingGroup(
                            r -> r.autoScalingGroupName(name).minSize(min).maxSize(max)));
            calls.call(
                    AwsService.AUTO_SCALING,
                    "SetDesiredCapacity",
                    context.attempts(),
                    () -> autoScaling.setDesiredCapacity(r -> r.autoScalingGroupName(name)
                            .desiredCapacity(desired)
                            .honorCooldown(false)));
        }
        AutoScalingGroup after = waiting.until(
                        DescribeAutoScalingGroupsResponse.class,
                        command.minInService() + " instances in service in " + name,
                        context,
                        () -> describe(name, context),
                        r -> r.autoScalingGroups().stream().anyMatch(g -> inService(g) >= command.minInService()))
                .autoScalingGroups()
                .get(0);
        return Outcome.changed(
                "Set Auto Scaling group " + name + " to min/desired/max " + after.minSize() + "/"
                        + after.desiredCapacity() + "/" + after.maxSize() + "; " + inService(after)
                        + " instances in service.",
                Map.of(
                        "autoScalingGroup",
                        name,
                        "min",
                        Integer.toString(after.minSize()),
                        "desired",
                        Integer.toString(after.desiredCapacity()),
                        "max",
                        Integer.toString(after.maxSize()),
                        "inService",
                        Long.toString(inService(after))));
    }

    static long inService(AutoScalingGroup group) {
        return group.instances().stream()
                .filter(i ->
                        "InService".equals(i.lifecycleStateAsString()) && "Healthy".equalsIgnoreCase(i.healthStatus()))
                .count();
    }

    AutoScalingGroup group(String name, CommandContext context) {
        return describe(name, context).autoScalingGroups().stream()
                .findFirst()
                .orElseThrow(() -> new StepFailedException(
                        "AutoScalingGroupNotFound", "Auto Scaling group " + name + " does not exist", false));
    }

    private DescribeAutoScalingGroupsResponse describe(String name, CommandContext context) {
        return calls.call(
                AwsService.AUTO_SCALING,
                "DescribeAutoScalingGroups",
                context.attempts(),
                () -> autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)));
    }
}

package io.drplane.coordinator.runbook;

import io.drplane.plan.Database;
import io.drplane.plan.Group;
import io.drplane.plan.Region;
import io.drplane.plan.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps that move a group's traffic to another region, as a small DAG: steps without an unfinished predecessor
 * run in parallel. One runbook per strategy of the AWS DR whitepaper:
 * <ul>
 *   <li>pilot light and warm standby: promote the database and scale out compute (in parallel), then switch DNS,
 *       then verify;</li>
 *   <li>multi-site active/active: switch DNS away from the failed region, then verify;</li>
 *   <li>backup and restore: scale out compute, then switch DNS, then verify (restoring the database from the
 *       recovery point is not a command yet; the safety rule checks that a recent one exists).</li>
 * </ul>
 */
public record Runbook(Strategy strategy, List<Step> steps) {

    public static final Duration PROMOTE_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration SCALE_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DNS_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration VERIFY_TIMEOUT = Duration.ofMinutes(2);
    public static final int RETRIES = 2;

    public static Runbook forGroup(Group group, String target) {
        Region region = group.region(target)
                .orElseThrow(() -> new IllegalArgumentException(target + " is not a region of " + group.id()));
        List<Step> steps = new ArrayList<>();
        List<String> beforeDns = new ArrayList<>();
        boolean database = region.database() != null
                && group.strategy() != Strategy.MULTI_SITE
                && group.strategy() != Strategy.BACKUP_AND_RESTORE;
        if (database) {
            StepAction promote = region.database().kind() == Database.Kind.AURORA_GLOBAL
                    ? StepAction.FAILOVER_GLOBAL_CLUSTER
                    : StepAction.PROMOTE_REPLICA;
            steps.add(new Step("promote-database", promote, List.of(), PROMOTE_TIMEOUT, RETRIES, false));
            beforeDns.add("promote-database");
        }
        if (region.compute() != null && group.strategy() != Strategy.MULTI_SITE) {
            steps.add(new Step("scale-compute", StepAction.SET_CAPACITY, List.of(), SCALE_TIMEOUT, RETRIES, false));
            beforeDns.add("scale-compute");
        }
        if (group.dns() != null) {
            steps.add(new Step("switch-dns", StepAction.SWITCH_DNS, beforeDns, DNS_TIMEOUT, RETRIES, false));
            steps.add(new Step("verify", StepAction.VERIFY, List.of("switch-dns"), VERIFY_TIMEOUT, RETRIES, true));
        } else {
            steps.add(new Step("verify", StepAction.VERIFY, beforeDns, VERIFY_TIMEOUT, RETRIES, true));
        }
        return new Runbook(group.strategy(), List.copyOf(steps));
    }

    public Step step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}

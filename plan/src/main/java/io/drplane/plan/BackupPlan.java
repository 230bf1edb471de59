package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.util.List;

/**
 * A backup plan for the group: the vault, the resources and the rules, and the engine that carries them out.
 *
 * @param engine {@code native} (drplane takes the services' own snapshots and enforces their lifecycle) or
 *               {@code aws-backup} (drplane drives AWS Backup jobs)
 * @param iamRole the role AWS Backup assumes to back up and copy ({@code aws-backup} only)
 * @param restoreTests restores run on a schedule to prove the recovery points restore, and how fast
 */
public record BackupPlan(
        String region,
        String vault,
        Engine engine,
        @Nullable String iamRole,
        List<String> resources,
        List<BackupRule> rules,
        List<RestoreTest> restoreTests) {

    public enum Engine {
        NATIVE,
        AWS_BACKUP
    }

    public BackupPlan {
        resources = List.copyOf(resources);
        rules = List.copyOf(rules);
        restoreTests = List.copyOf(restoreTests);
    }

    /** Every region recovery points land in: the backup region, then each rule's copy regions, once each. */
    public List<String> regions() {
        java.util.Set<String> regions = new java.util.LinkedHashSet<>();
        regions.add(region);
        rules.forEach(rule -> rule.copyTo().forEach(copy -> regions.add(copy.region())));
        return List.copyOf(regions);
    }
}

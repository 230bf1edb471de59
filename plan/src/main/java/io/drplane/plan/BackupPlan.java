package io.drplane.plan;

import java.util.List;

/** An AWS Backup plan for the group: the vault, the resources and the rules. */
public record BackupPlan(String region, String vault, List<String> resources, List<BackupRule> rules) {
    public BackupPlan {
        resources = List.copyOf(resources);
        rules = List.copyOf(rules);
    }
}

package io.drplane.backupscheduler;

import io.drplane.plan.Group;
import io.drplane.plan.load.PlanLoader;

/** Plans for the backup tests: a warm standby from us-east-1 to us-west-2 with the backup block a test gives. */
public final class BackupPlans {

    private BackupPlans() {}

    /** One group's entry in a plan's {@code groups:} list; {@code backup} is the YAML under {@code backup:}. */
    public static String group(String id, String backup) {
        return """
                  - id: %s
                    strategy: warm-standby
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - name: us-east-1
                        role: primary
                        targets: [ { name: web, kind: https, url: "https://use1.example.com/health" } ]
                      - name: us-west-2
                        role: standby
                    backup:
                """
                        .formatted(id)
                + backup.stripIndent().indent(6);
    }

    /** A whole plan of {@code groups} (entries made by {@link #group}). */
    public static String plan(String... groups) {
        return "version: 1\nvantagePoints: [a, b, c]\ngroups:\n" + String.join("", groups);
    }

    /** The group of a plan with that one group. */
    public static Group parse(String id, String backup) {
        return PlanLoader.parse(plan(group(id, backup)), id + ".yml").group(id).orElseThrow();
    }
}

package io.drplane.localstack;

import io.drplane.plan.Plan;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One service instance of the local stack: which module, which main class, its instance name and extra settings. */
record ServiceSpec(String service, String module, String mainClass, String instance, Map<String, String> env) {

    /** Every instance the plan calls for: a health monitor per vantage point, an executor per region, one of each other. */
    static List<ServiceSpec> forPlan(
            Plan plan,
            boolean awsEmulator,
            String awsEndpoint,
            String apiToken,
            String operatorKeys,
            String commandKeys) {
        List<ServiceSpec> specs = new ArrayList<>();
        // With the emulator, every AWS call (health sources, CloudWatch lag, backups, commands) goes to it.
        Map<String, String> aws = awsEmulator
                ? Map.of(
                        "DRPLANE_AWS_ENDPOINT",
                        awsEndpoint,
                        "AWS_ACCESS_KEY_ID",
                        "local",
                        "AWS_SECRET_ACCESS_KEY",
                        "local")
                : Map.of();
        for (String vantage : plan.vantagePoints()) {
            specs.add(new ServiceSpec(
                    "health-monitor",
                    "health-monitor",
                    "io.drplane.healthmonitor.HealthMonitorApplication",
                    vantage,
                    aws));
        }
        specs.add(new ServiceSpec(
                "replication-tracker",
                "replication-tracker",
                "io.drplane.replicationtracker.ReplicationTrackerApplication",
                "local",
                aws));
        specs.add(new ServiceSpec(
                "backup-scheduler",
                "backup-scheduler",
                "io.drplane.backupscheduler.BackupSchedulerApplication",
                "local",
                aws)); // the local stack adds its compressed clock and the fault proxy (LocalStack#backupEnv)
        specs.add(new ServiceSpec(
                "failover-coordinator",
                "failover-coordinator",
                "io.drplane.coordinator.FailoverCoordinatorApplication",
                "local",
                Map.of(
                        "DRPLANE_API_TOKENS",
                        apiToken + ":local-operator:operate",
                        "DRPLANE_OPERATOR_KEYS",
                        operatorKeys,
                        "DRPLANE_COMMAND_KEYS",
                        commandKeys)));
        for (String region : plan.regions()) {
            Map<String, String> env = new HashMap<>(aws);
            env.put("DRPLANE_REGION", region);
            env.put("DRPLANE_COMMAND_KEYS", commandKeys);
            if (!awsEmulator) {
                env.put("DRPLANE_DRY_RUN", "true");
            }
            specs.add(new ServiceSpec(
                    "region-executor",
                    "region-executor",
                    "io.drplane.executor.RegionExecutorApplication",
                    region,
                    Map.copyOf(env)));
        }
        specs.add(
                new ServiceSpec("notifier", "notifier", "io.drplane.notifier.NotifierApplication", "local", Map.of()));
        return List.copyOf(specs);
    }

    /** A fresh key per start: it signs only what this stack writes while it runs. */
    static String randomKey() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getEncoder().encodeToString(secret);
    }

    /** A fresh API token per start, printed and written to the data directory, never shipped in the code. */
    static String randomToken() {
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        return "local_" + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** The Kafka principal this instance connects as: one per service, one per executor's region. */
    String principal() {
        return "drplane-" + service + (service.equals("region-executor") ? "-" + instance : "");
    }

    /** The service's ACLs' name and region, as {@code drplane topics apply --principal} takes it. */
    String aclService() {
        return service;
    }

    String displayName() {
        return instance.equals("local") ? service : service + "/" + instance;
    }
}

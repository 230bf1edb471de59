package io.drplane.localstack.sim;

import io.drplane.executor.aws.AwsClients;
import io.drplane.plan.Database;
import io.drplane.plan.Dns;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.plan.Region;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.rds.model.CreateDbClusterRequest;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Creates in the AWS emulator what a plan's runbooks act on, as the seed architecture has it: per group, the
 * primary database and its cross-region read replica (or replica cluster), an Auto Scaling group per region (the
 * primary at its failover capacity, the DR one scaled down: min 1 for a warm standby, 0 for pilot light), and the
 * hosted zone with one failover (or weighted) record per region, the primary's pointing traffic. The emulator
 * makes its own ids for hosted zones and health checks: {@link #substitutions()} maps the plan's to the emulator's.
 */
public final class AwsSeed {

    private final Map<String, AwsClients> clients = new HashMap<>();
    private final Map<String, String> substitutions = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();
    private final URI endpoint;

    public AwsSeed(URI endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * @param primaries the region each group's coordinator last knew as primary (after a failover in an earlier run
     *                  of the local stack); groups not named start with the plan's primary
     */
    public AwsSeed seed(Plan plan, Map<String, String> primaries) {
        for (Group group : plan.groups()) {
            Region primary = group.region(
                            primaries.getOrDefault(group.id(), group.primary().name()))
                    .orElse(group.primary());
            if (!primary.name().equals(group.primary().name())) {
                created.add(group.id() + ": seeded with " + primary.name()
                        + " as primary, as the coordinator last knew it (the plan says "
                        + group.primary().name() + "; ./drplane up --fresh starts over)");
            }
            List<Region> primaryFirst = new ArrayList<>(List.of(primary));
            group.regions().stream()
                    .filter(r -> !r.name().equals(primary.name()))
                    .forEach(primaryFirst::add);
            for (Region region : primaryFirst) { // a replica needs its source
                database(group, primary, region);
                compute(group, primary, region);
            }
            if (group.dns() != null) {
                dns(group, primary);
            }
        }
        return this;
    }

    /** Plan id to emulator id, for hosted zones and health checks. */
    public Map<String, String> substitutions() {
        return Map.copyOf(substitutions);
    }

    /** One line per resource created, for the start-up output. */
    public List<String> created() {
        return List.copyOf(created);
    }

    private void database(Group group, Region primary, Region region) {
        Database db = region.database();
        if (db == null) {
            return;
        }
        AwsClients aws = clients(region.name());
        boolean isPrimary = region.name().equals(primary.name());
        Database source = primary.database();
        switch (db.kind()) {
            case RDS_INSTANCE -> {
                if (isPrimary) {
                    aws.rds().createDBInstance(r -> r.dbInstanceIdentifier(db.identifier())
                            .engine("postgres")
                            .dbInstanceClass("db.r6g.large")
                            .allocatedStorage(100)
                            .masterUsername("app")
                            .masterUserPassword("local-stack-only"));
                    created.add("RDS instance " + db.identifier() + " in " + region.name() + " (primary)");
                } else if (source != null) {
                    String arn = arn(primary.name(), "db", source.identifier());
                    aws.rds().createDBInstanceReadReplica(r -> r.dbInstanceIdentifier(db.identifier())
                            .sourceDBInstanceIdentifier(arn)
                            .dbInstanceClass("db.r6g.large"));
                    created.add("RDS instance " + db.identifier() + " in " + region.name() + " (read replica of "
                            + source.identifier() + ")");
                }
            }
            case RDS_CLUSTER -> {
                var request = CreateDbClusterRequest.builder()
                        .dbClusterIdentifier(db.identifier())
                        .engine("aurora-postgresql")
                        .masterUsername("app")
                        .masterUserPassword("local-stack-only");
                if (!isPrimary && source != null) {
                    request.replicationSourceIdentifier(arn(primary.name(), "cluster", source.identifier()));
                }
                aws.rds().createDBCluster(request.build());
                created.add("Aurora cluster " + db.identifier() + " in " + region.name()
                        + (isPrimary ? " (primary)" : " (replica cluster)"));
            }
            case AURORA_GLOBAL -> created.add("Aurora global database " + db.globalClusterIdentifier()
                    + ": not seeded (the emulator does not serve global database failover)");
        }
    }

    private void compute(Group group, Region primary, Region region) {
        if (region.compute() == null) {
            return;
        }
        AwsClients aws = clients(region.name());
        String name = region.compute().autoScalingGroup();
        var capacity = region.compute().failoverCapacity();
        boolean isPrimary = region.name().equals(primary.name());
        var standby = region.compute().standby(group.strategy());
        int min = isPrimary ? capacity.min() : standby.min();
        int desired = isPrimary ? capacity.desired() : standby.desired();
        aws.autoScaling().createLaunchConfiguration(r -> r.launchConfigurationName(name + "-lc")
                .imageId("ami-12c6146b")
                .instanceType("t3.micro"));
        aws.autoScaling().createAutoScalingGroup(r -> r.autoScalingGroupName(name)
                .launchConfigurationName(name + "-lc")
                .minSize(min)
                .desiredCapacity(desired)
                .maxSize(capacity.max())
                .availabilityZones(region.name() + "a"));
        created.add("Auto Scaling group " + name + " in " + region.name() + ": min/desired/max " + min + "/" + desired
                + "/" + capacity.max());
    }

    private void dns(Group group, Region primary) {
        Dns dns = group.dns();
        AwsClients aws = clients("us-east-1");
        String zoneId = substitutions.get(dns.hostedZoneId());
        if (zoneId == null) {
            String record = dns.recordName().endsWith(".") ? dns.recordName() : dns.recordName() + ".";
            String domain = record.substring(record.indexOf('.') + 1);
            zoneId = aws.route53()
                    .createHostedZone(
                            r -> r.name(domain).callerReference("drplane-" + group.id() + "-" + System.nanoTime()))
                    .hostedZone()
                    .id()
                    .replace("/hostedzone/", "");
            substitutions.put(dns.hostedZoneId(), zoneId);
            created.add("Route 53 hosted zone " + domain + " (" + zoneId + ", the plan's " + dns.hostedZoneId() + ")");
        }
        List<Change> changes = new ArrayList<>();
        for (Region region : group.regions()) {
            var target = region.dnsRecord();
            if (target == null) {
                continue;
            }
            boolean isPrimary = region.name().equals(primary.name());
            ResourceRecordSet.Builder set = ResourceRecordSet.builder()
                    .name(dns.recordName())
                    .type(dns.recordType())
                    .setIdentifier(target.setIdentifier());
            if (dns.routing() == Dns.Routing.FAILOVER) {
                set.failover(isPrimary ? "PRIMARY" : "SECONDARY");
            } else {
                set.weight(isPrimary ? 100L : 0L);
            }
            if (target.alias() != null) {
                set.aliasTarget(a -> a.hostedZoneId(target.alias().hostedZoneId())
                        .dnsName(target.alias().dnsName())
                        .evaluateTargetHealth(target.alias().evaluateTargetHealth()));
            } else {
                set.ttl(dns.ttl())
                        .resourceRecords(target.values().stream()
                                .map(v -> ResourceRecord.builder().value(v).build())
                                .toList());
            }
            if (target.healthCheckId() != null) {
                set.healthCheckId(healthCheck(aws, target.healthCheckId(), region));
            }
            changes.add(Change.builder()
                    .action(ChangeAction.UPSERT)
                    .resourceRecordSet(set.build())
                    .build());
            created.add("Route 53 record " + dns.recordName() + " [" + target.setIdentifier() + "] "
                    + (dns.routing() == Dns.Routing.FAILOVER
                            ? (isPrimary ? "PRIMARY" : "SECONDARY")
                            : "weight " + (isPrimary ? 100 : 0)));
        }
        String zone = zoneId;
        aws.route53().changeResourceRecordSets(r -> r.hostedZoneId(zone).changeBatch(b -> b.changes(changes)));
    }

    private String healthCheck(AwsClients aws, String planId, Region region) {
        return substitutions.computeIfAbsent(planId, id -> {
            String created = aws.route53()
                    .createHealthCheck(r -> r.callerReference("drplane-" + id).healthCheckConfig(c -> c.type("HTTPS")
                            .fullyQualifiedDomainName(region.name() + ".local")
                            .resourcePath("/healthz")
                            .port(443)))
                    .healthCheck()
                    .id();
            this.created.add("Route 53 health check " + created + " (the plan's " + id + ")");
            return created;
        });
    }

    private static String arn(String region, String kind, String identifier) {
        return "arn:aws:rds:" + region + ":123456789012:" + kind + ":" + identifier;
    }

    private AwsClients clients(String region) {
        return clients.computeIfAbsent(
                region,
                r -> new AwsClients(
                        r,
                        Optional.of(endpoint),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                        Duration.ofSeconds(10),
                        List.of()));
    }

    public void close() {
        clients.values().forEach(AwsClients::close);
    }
}

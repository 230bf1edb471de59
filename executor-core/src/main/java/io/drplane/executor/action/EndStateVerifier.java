package io.drplane.executor.action;

import io.drplane.aws.AwsCallException;
import io.drplane.events.Verify;
import io.drplane.events.VerifyCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Confirms a failover's end state with describe calls only: the database is available and nobody's replica, enough
 * instances are in service, and the name resolves (by Route 53's own records) to the new primary. A check that
 * does not hold fails the command with every check's finding, so the coordinator's retry budget decides what next.
 */
public final class EndStateVerifier {

    private final DatabasePromoter databases;
    private final CapacityScaler capacity;
    private final DnsSwitcher dns;

    EndStateVerifier(DatabasePromoter databases, CapacityScaler capacity, DnsSwitcher dns) {
        this.databases = databases;
        this.capacity = capacity;
        this.dns = dns;
    }

    Outcome verify(Verify command, String hostedZoneId, String recordName, CommandContext context) {
        Map<String, String> findings = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (VerifyCheck check : command.checks()) {
            String key = check.kind().name().toLowerCase() + ":" + check.resource();
            Optional<String> problem =
                    switch (check.kind()) {
                        case DATABASE_WRITABLE -> database(check, context);
                        case CAPACITY_IN_SERVICE -> capacity(check, context);
                        case DNS_POINTS_TO -> hostedZoneId == null
                                ? Optional.of("the group has no dns section in the plan")
                                : dnsPointsTo(check, hostedZoneId, context);
                        case DATABASE_REPLICATING_FROM -> replicating(check, context);
                        case DNS_RECORD_ROLE -> hostedZoneId == null
                                ? Optional.of("the group has no dns section in the plan")
                                : recordRole(check, hostedZoneId, recordName, context);
                    };
            findings.put(key, problem.orElse("ok"));
            problem.ifPresent(failures::add);
        }
        if (!failures.isEmpty() && context.dryRun()) {
            // A drill changed nothing, so the end state is not expected to hold: report what a real run would meet.
            return Outcome.wouldChange(
                    failures.size() + " of " + command.checks().size() + " end-state checks do not hold yet: "
                            + String.join("; ", failures) + ".",
                    findings);
        }
        if (!failures.isEmpty()) {
            throw new StepFailedException("VerificationFailed", String.join("; ", failures), true);
        }
        return Outcome.verified("All " + command.checks().size() + " end-state checks hold.", findings);
    }

    private Optional<String> database(VerifyCheck check, CommandContext context) {
        String id = check.resource();
        try {
            DBInstance instance = databases.instance(id, context);
            if (!check.expected().equals(instance.dbInstanceStatus())) {
                return Optional.of(
                        "DB instance " + id + " is " + instance.dbInstanceStatus() + ", expected " + check.expected());
            }
            String source = instance.readReplicaSourceDBInstanceIdentifier();
            return source == null || source.isBlank()
                    ? Optional.empty()
                    : Optional.of("DB instance " + id + " is still a read replica of " + source);
        } catch (StepFailedException | AwsCallException e) {
            if (!notFound(e)) {
                // AccessDenied, throttling past the retries, a 5xx: the check could not be made. Say so; never read
                // it as "not an instance" and check a cluster of the same name instead.
                throw e;
            }
            DBCluster cluster = databases.cluster(id, context);
            if (!check.expected().equals(cluster.status())) {
                return Optional.of("DB cluster " + id + " is " + cluster.status() + ", expected " + check.expected());
            }
            String source = cluster.replicationSourceIdentifier();
            return source == null || source.isBlank()
                    ? Optional.empty()
                    : Optional.of("DB cluster " + id + " still replicates from " + source);
        }
    }

    /** The database is an available read replica of the one named in {@code expected} (re-protect's end state). */
    private Optional<String> replicating(VerifyCheck check, CommandContext context) {
        DBInstance instance = databases.instance(check.resource(), context);
        if (!DatabaseReprotector.replicates(instance, check.expected())) {
            String source = instance.readReplicaSourceDBInstanceIdentifier();
            return Optional.of("DB instance " + check.resource() + " is "
                    + (source == null || source.isBlank() ? "no replica" : "a replica of " + source) + ", expected of "
                    + check.expected());
        }
        return "available".equals(instance.dbInstanceStatus())
                ? Optional.empty()
                : Optional.of("DB instance " + check.resource() + " is " + instance.dbInstanceStatus()
                        + ", expected available");
    }

    /** The record with this set identifier has the failover role (or weight) in {@code expected}. */
    private Optional<String> recordRole(
            VerifyCheck check, String hostedZoneId, String recordName, CommandContext context) {
        Optional<ResourceRecordSet> set = dns.recordSets(hostedZoneId, recordName, context).stream()
                .filter(r -> check.resource().equals(r.setIdentifier()))
                .findFirst();
        if (set.isEmpty()) {
            return Optional.of("no record " + recordName + " [" + check.resource() + "] in zone " + hostedZoneId);
        }
        String role = set.get().failoverAsString() != null
                ? set.get().failoverAsString()
                : String.valueOf(set.get().weight());
        return role.equals(check.expected())
                ? Optional.empty()
                : Optional.of("record " + recordName + " [" + check.resource() + "] is " + role + ", expected "
                        + check.expected());
    }

    /** Whether describing a DB instance failed because there is none of that name (so it may be a cluster). */
    static boolean notFound(RuntimeException e) {
        String code = e instanceof AwsCallException aws
                ? aws.errorCode()
                : e instanceof StepFailedException step ? step.errorCode() : null;
        return code != null && code.startsWith("DBInstanceNotFound");
    }

    private Optional<String> capacity(VerifyCheck check, CommandContext context) {
        AutoScalingGroup group = capacity.group(check.resource(), context);
        long inService = CapacityScaler.inService(group);
        long wanted = Long.parseLong(check.expected());
        return inService >= wanted
                ? Optional.empty()
                : Optional.of("Auto Scaling group " + check.resource() + " has " + inService
                        + " instances in service, expected at least " + wanted);
    }

    /** The record that answers: the PRIMARY of a failover pair, else the heaviest weighted one, else the simple one. */
    private Optional<String> dnsPointsTo(VerifyCheck check, String hostedZoneId, CommandContext context) {
        List<ResourceRecordSet> sets = dns.recordSets(hostedZoneId, check.resource(), context).stream()
                .filter(r -> !"NS".equals(r.typeAsString()) && !"SOA".equals(r.typeAsString()))
                .toList();
        Optional<ResourceRecordSet> answering = sets.stream()
                .filter(r -> "PRIMARY".equals(r.failoverAsString()))
                .findFirst()
                .or(() -> sets.stream()
                        .filter(r -> r.weight() != null)
                        .max(Comparator.comparing(ResourceRecordSet::weight)))
                .or(() -> sets.stream().findFirst());
        if (answering.isEmpty()) {
            return Optional.of("no record named " + check.resource() + " in zone " + hostedZoneId);
        }
        ResourceRecordSet r = answering.get();
        String target = r.aliasTarget() != null
                ? DnsSwitcher.normal(r.aliasTarget().dnsName())
                : String.join(
                        ",",
                        r.resourceRecords().stream()
                                .map(ResourceRecord::value)
                                .sorted()
                                .toList());
        String expected = check.expected().contains(",") || r.aliasTarget() == null
                ? String.join(
                        ",",
                        Arrays.stream(check.expected().split(","))
                                .map(String::trim)
                                .sorted()
                                .toList())
                : DnsSwitcher.normal(check.expected());
        return target.equals(expected)
                ? Optional.empty()
                : Optional.of(check.resource() + " answers with " + target + ", expected " + expected);
    }
}

package io.drplane.coordinator.runbook;

import io.drplane.coordinator.state.FailoverRun;
import io.drplane.events.AliasTarget;
import io.drplane.events.Command;
import io.drplane.events.DatabaseKind;
import io.drplane.events.DnsRecord;
import io.drplane.events.Evidence;
import io.drplane.events.FailoverGlobalCluster;
import io.drplane.events.FailoverKind;
import io.drplane.events.PromoteReplica;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.SetCapacity;
import io.drplane.events.SwitchDns;
import io.drplane.events.Verify;
import io.drplane.events.VerifyCheck;
import io.drplane.events.VerifyKind;
import io.drplane.plan.Database;
import io.drplane.plan.Dns;
import io.drplane.plan.DnsRecordTarget;
import io.drplane.plan.Group;
import io.drplane.plan.Region;
import io.drplane.plan.WireName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a runbook step into the command for the target region's executor, from what the plan says about that region.
 * Public for the break-glass path, which runs a runbook without the coordinator.
 */
public final class CommandFactory {

    public Command command(Group group, Step step, FailoverRun run, String commandId, Instant now, Evidence evidence) {
        Region target = group.region(run.to()).orElseThrow();
        long timeout = step.timeout().toMillis();
        Reason reason = Reason.of(
                ReasonCode.RUNBOOK_STEP,
                step.name() + " of the " + WireName.of(group.strategy()) + " runbook for failover " + run.id() + " to "
                        + run.to() + ".");
        return switch (step.action()) {
            case PROMOTE_REPLICA -> new PromoteReplica(
                    group.id(),
                    commandId,
                    run.id(),
                    run.to(),
                    run.epoch(),
                    now,
                    timeout,
                    run.dryRun(),
                    target.database().kind() == Database.Kind.RDS_CLUSTER
                            ? DatabaseKind.RDS_CLUSTER
                            : DatabaseKind.RDS_INSTANCE,
                    target.database().identifier(),
                    reason,
                    evidence);
            case FAILOVER_GLOBAL_CLUSTER -> new FailoverGlobalCluster(
                    group.id(),
                    commandId,
                    run.id(),
                    run.to(),
                    run.epoch(),
                    now,
                    timeout,
                    run.dryRun(),
                    target.database().globalClusterIdentifier(),
                    target.database().identifier(),
                    run.kind() != FailoverKind.PLANNED_SWITCHOVER,
                    reason,
                    evidence);
            case SET_CAPACITY -> new SetCapacity(
                    group.id(),
                    commandId,
                    run.id(),
                    run.to(),
                    run.epoch(),
                    now,
                    timeout,
                    run.dryRun(),
                    target.compute().autoScalingGroup(),
                    target.compute().failoverCapacity().min(),
                    target.compute().failoverCapacity().desired(),
                    target.compute().failoverCapacity().max(),
                    target.compute().failoverCapacity().min(),
                    null,
                    reason,
                    evidence);
            case SWITCH_DNS -> new SwitchDns(
                    group.id(),
                    commandId,
                    run.id(),
                    run.to(),
                    run.epoch(),
                    now,
                    timeout,
                    run.dryRun(),
                    group.dns().hostedZoneId(),
                    records(group, run.to()),
                    reason,
                    evidence);
            case VERIFY -> new Verify(
                    group.id(),
                    commandId,
                    run.id(),
                    run.to(),
                    run.epoch(),
                    now,
                    timeout,
                    run.dryRun(),
                    checks(group, target),
                    reason,
                    evidence);
            case SNAPSHOT_DATABASE, FENCE_DATABASE, CREATE_REPLICA -> throw new IllegalArgumentException(
                    step.action() + " is a re-protect step, not a failover's");
        };
    }

    /** Failover routing: the new primary's record becomes PRIMARY, every other SECONDARY; weighted: all weight to the new primary. */
    private static List<DnsRecord> records(Group group, String newPrimary) {
        Dns dns = group.dns();
        List<DnsRecord> records = new ArrayList<>();
        for (Region region : group.regions()) {
            DnsRecordTarget record = region.dnsRecord();
            boolean primary = region.name().equals(newPrimary);
            String failover = dns.routing() == Dns.Routing.FAILOVER ? (primary ? "PRIMARY" : "SECONDARY") : null;
            Long weight = dns.routing() == Dns.Routing.WEIGHTED ? (primary ? 100L : 0L) : null;
            AliasTarget alias = record.alias() == null
                    ? null
                    : new AliasTarget(
                            record.alias().hostedZoneId(),
                            record.alias().dnsName(),
                            record.alias().evaluateTargetHealth());
            records.add(new DnsRecord(
                    dns.recordName(),
                    dns.recordType(),
                    record.setIdentifier(),
                    failover,
                    weight,
                    alias == null ? dns.ttl() : null,
                    alias == null ? record.values() : null,
                    alias));
        }
        return records;
    }

    private static List<VerifyCheck> checks(Group group, Region target) {
        List<VerifyCheck> checks = new ArrayList<>();
        if (target.database() != null) {
            checks.add(new VerifyCheck(
                    VerifyKind.DATABASE_WRITABLE, target.database().identifier(), "available"));
        }
        if (target.compute() != null) {
            checks.add(new VerifyCheck(
                    VerifyKind.CAPACITY_IN_SERVICE,
                    target.compute().autoScalingGroup(),
                    Integer.toString(target.compute().failoverCapacity().min())));
        }
        if (group.dns() != null && target.dnsRecord() != null) {
            String expected = target.dnsRecord().alias() != null
                    ? target.dnsRecord().alias().dnsName()
                    : String.join(",", target.dnsRecord().values());
            checks.add(new VerifyCheck(VerifyKind.DNS_POINTS_TO, group.dns().recordName(), expected));
        }
        return checks;
    }
}

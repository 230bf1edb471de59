package io.drplane.executor.action;

import io.drplane.aws.AwsCalls;
import io.drplane.aws.AwsService;
import io.drplane.events.DnsRecord;
import io.drplane.events.SwitchDns;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.AliasTarget;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.GetChangeResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Points the group's name at the new primary: one {@code ChangeResourceRecordSets} batch of UPSERTs (atomic in
 * Route 53), then waits until the change is INSYNC. Each upsert starts from the record set as it is, so what the plan
 * does not manage (a health check id, for one) is kept; an UPSERT replaces the whole record set.
 */
public final class DnsSwitcher {

    private final Route53Client route53;
    private final AwsCalls calls;
    private final Waiting waiting;

    DnsSwitcher(Route53Client route53, AwsCalls calls, Waiting waiting) {
        this.route53 = route53;
        this.calls = calls;
        this.waiting = waiting;
    }

    Outcome switchTo(SwitchDns command, CommandContext context) {
        String zone = command.hostedZoneId();
        List<ResourceRecordSet> existing =
                recordSets(zone, command.records().get(0).name(), context);
        List<Change> changes = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (DnsRecord wanted : command.records()) {
            Optional<ResourceRecordSet> current =
                    existing.stream().filter(r -> sameSet(r, wanted)).findFirst();
            if (current.isPresent() && matches(current.get(), wanted)) {
                continue;
            }
            changes.add(Change.builder()
                    .action(ChangeAction.UPSERT)
                    .resourceRecordSet(upsert(current, wanted))
                    .build());
            changed.add(describe(wanted));
        }
        String name = command.records().get(0).name();
        if (changes.isEmpty()) {
            return Outcome.already(
                    "Every record of " + name + " in zone " + zone + " already points where wanted.",
                    Map.of("hostedZoneId", zone, "name", name));
        }
        if (context.dryRun()) {
            return Outcome.wouldChange(
                    "Would upsert in zone " + zone + ": " + String.join("; ", changed) + ".",
                    Map.of("hostedZoneId", zone, "name", name, "changes", Integer.toString(changes.size())));
        }
        String changeId = calls.call(
                        AwsService.ROUTE53,
                        "ChangeResourceRecordSets",
                        context.attempts(),
                        () -> route53.changeResourceRecordSets(
                                r -> r.hostedZoneId(zone).changeBatch(b -> b.comment("drplane failover "
                                                + command.failoverId() + " command " + command.commandId())
                                        .changes(changes))))
                .changeInfo()
                .id();
        waiting.until(
                GetChangeResponse.class,
                "change " + changeId + " INSYNC",
                context,
                () -> calls.call(
                        AwsService.ROUTE53,
                        "GetChange",
                        context.attempts(),
                        () -> route53.getChange(r -> r.id(changeId))),
                r -> r.changeInfo().status() == ChangeStatus.INSYNC);
        return Outcome.changed(
                "Upserted in zone " + zone + " (change " + changeId + ", INSYNC): " + String.join("; ", changed) + ".",
                Map.of(
                        "hostedZoneId",
                        zone,
                        "name",
                        name,
                        "changeId",
                        changeId,
                        "changes",
                        Integer.toString(changes.size())));
    }

    /** The record sets of {@code name} (every type and set identifier), from one listing that starts at the name. */
    List<ResourceRecordSet> recordSets(String zone, String name, CommandContext context) {
        return calls
                .call(
                        AwsService.ROUTE53,
                        "ListResourceRecordSets",
                        context.attempts(),
                        () -> route53.listResourceRecordSets(
                                r -> r.hostedZoneId(zone).startRecordName(name).maxItems("300")))
                .resourceRecordSets()
                .stream()
                .filter(r -> sameName(r.name(), name))
                .toList();
    }

    static boolean sameName(String a, String b) {
        return normal(a).equals(normal(b));
    }

    static String normal(String dnsName) {
        String lower = dnsName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static boolean sameSet(ResourceRecordSet r, DnsRecord wanted) {
        return sameName(r.name(), wanted.name())
                && r.typeAsString().equalsIgnoreCase(wanted.type())
                && Objects.equals(r.setIdentifier(), wanted.setIdentifier());
    }

    static boolean matches(ResourceRecordSet r, DnsRecord wanted) {
        if (wanted.failover() != null && !wanted.failover().equalsIgnoreCase(r.failoverAsString())) {
            return false;
        }
        if (wanted.weight() != null && !wanted.weight().equals(r.weight())) {
            return false;
        }
        if (wanted.alias() != null) {
            AliasTarget alias = r.aliasTarget();
            return alias != null
                    && sameName(alias.dnsName(), wanted.alias().dnsName())
                    && alias.hostedZoneId().equals(wanted.alias().hostedZoneId())
                    && Boolean.TRUE.equals(alias.evaluateTargetHealth())
                            == wanted.alias().evaluateTargetHealth();
        }
        List<String> values =
                r.resourceRecords().stream().map(ResourceRecord::value).toList();
        return wanted.values() != null
                && new HashSet<>(values).equals(new HashSet<>(wanted.values()))
                && (wanted.ttl() == null || wanted.ttl().equals(r.ttl()));
    }

    private static ResourceRecordSet upsert(Optional<ResourceRecordSet> current, DnsRecord wanted) {
        ResourceRecordSet.Builder set = current.map(ResourceRecordSet::toBuilder)
                .orElseGet(ResourceRecordSet::builder)
                .name(wanted.name())
                .type(wanted.type())
                .setIdentifier(wanted.setIdentifier());
        if (wanted.failover() != null) {
            set.failover(wanted.failover());
        }
        if (wanted.weight() != null) {
            set.weight(wanted.weight());
        }
        if (wanted.alias() != null) {
            set.aliasTarget(AliasTarget.builder()
                            .hostedZoneId(wanted.alias().hostedZoneId())
                            .dnsName(wanted.alias().dnsName())
                            .evaluateTargetHealth(wanted.alias().evaluateTargetHealth())
                            .build())
                    .ttl(null)
                    .resourceRecords((List<ResourceRecord>) null);
        } else {
            set.aliasTarget((AliasTarget) null)
                    .ttl(wanted.ttl())
                    .resourceRecords(wanted.values().stream()
                            .map(v -> ResourceRecord.builder().value(v).build())
                            .toList());
        }
        return set.build();
    }

    private static String describe(DnsRecord r) {
        String target = r.alias() != null ? "alias " + r.alias().dnsName() : String.join(",", r.values());
        String routing = r.failover() != null ? " " + r.failover() : r.weight() != null ? " weight " + r.weight() : "";
        return r.name() + " " + r.type() + (r.setIdentifier() == null ? "" : " [" + r.setIdentifier() + "]") + routing
                + " -> " + target;
    }
}
